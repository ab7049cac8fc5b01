package org.spdiff.pipelines.estimate;

import java.util.Map;
import java.util.TreeMap;

/**
 * Measured seconds per unit of each {@link Workload} on one machine (the calibration's result).
 *
 * @param machine the machine and thread count they were measured with ({@link Machine#id()})
 * @param secondsPer seconds per unit keyed by {@link Workload#key()}
 */
public record Rates(String machine, Map<String, Double> secondsPer) {

  public Rates {
    secondsPer = Map.copyOf(new TreeMap<>(secondsPer));
  }

  /** Seconds per unit of {@code w}. */
  public double of(Workload w) {
    Double s = secondsPer.get(w.key());
    if (s == null) {
      throw new IllegalArgumentException("no calibrated rate for " + w.key());
    }
    return s;
  }

  /** Whether {@code w} has been measured. */
  public boolean has(Workload w) {
    return secondsPer.containsKey(w.key());
  }

  /** These rates and {@code more} (a key in both takes {@code more}'s value). */
  public Rates with(Map<String, Double> more) {
    Map<String, Double> m = new TreeMap<>(secondsPer);
    m.putAll(more);
    return new Rates(machine, m);
  }
}
