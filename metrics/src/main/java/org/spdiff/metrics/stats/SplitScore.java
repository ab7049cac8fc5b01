package org.spdiff.metrics.stats;

import java.util.List;

/**
 * A score computed on several splits or subsets: the mean, the population standard deviation over
 * the splits ({@code np.std}, ddof = 0, as torch-fidelity reports it) and the per-split values.
 *
 * @param mean mean of {@code values}
 * @param std population standard deviation of {@code values} (ddof = 0)
 * @param values one value per split / subset
 * @param warnings human-readable reasons the figure may be unreliable; empty if none
 */
public record SplitScore(double mean, double std, double[] values, List<String> warnings)
    implements java.io.Serializable {

  /** Mean and ddof-0 std of {@code values}. */
  public static SplitScore of(double[] values, List<String> warnings) {
    double m = 0;
    for (double v : values) {
      m += v;
    }
    m /= values.length;
    double ss = 0;
    for (double v : values) {
      ss += (v - m) * (v - m);
    }
    return new SplitScore(m, Math.sqrt(ss / values.length), values.clone(), List.copyOf(warnings));
  }

  /** Sample standard deviation (ddof = 1), for comparing configurations. */
  public double sampleStd() {
    if (values.length < 2) {
      return Double.NaN;
    }
    return std * Math.sqrt(values.length / (values.length - 1.0));
  }

  /** Standard error of the mean, {@code sampleStd / sqrt(k)}. */
  public double standardError() {
    return sampleStd() / Math.sqrt(values.length);
  }
}
