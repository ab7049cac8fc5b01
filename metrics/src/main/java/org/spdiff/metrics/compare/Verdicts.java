package org.spdiff.metrics.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verdicts for a family of variants compared with one control on one metric, with Holm's step-down
 * correction (Holm 1979) for the family-wise error rate: sort the m p-values ascending, {@code
 * p_adj(i) = max_{j <= i} min(1, (m - j + 1) p_(j))}. A variant is {@code better} or {@code worse}
 * when its adjusted p-value is below alpha, in the direction of the metric ({@link
 * Metric#higherIsBetter()}), else {@code inconclusive}. The reported interval stays the unadjusted
 * 95% interval; an interval that excludes 0 can therefore still be inconclusive when the family is
 * large.
 *
 * <p>Which family: the caller's choice; the study uses the variants compared with the control at
 * one CFG scale on one metric.
 */
public final class Verdicts {
  /** The family-wise level, 0.05. */
  public static final double DEFAULT_ALPHA = 0.05;

  private Verdicts() {}

  /**
   * @param byVariant each variant's difference (variant minus control) on the same metric, in the
   *     order to report
   * @param alpha family-wise level in (0, 1)
   * @return one verdict per variant, same order
   */
  public static Map<String, VariantVerdict> holm(Map<String, Difference> byVariant, double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
    }
    List<String> names = new ArrayList<>(byVariant.keySet());
    Metric metric = null;
    for (String n : names) {
      Difference d = byVariant.get(n);
      if (metric != null && d.metric() != metric) {
        throw new IllegalArgumentException(
            "one family per metric: " + d.metric() + " and " + metric);
      }
      metric = d.metric();
    }
    int m = names.size();
    List<String> byP = new ArrayList<>(names);
    byP.sort(Comparator.comparingDouble(n -> byVariant.get(n).pValue()));
    Map<String, Double> adjusted = new LinkedHashMap<>();
    double running = 0;
    for (int i = 0; i < m; i++) {
      double p = byVariant.get(byP.get(i)).pValue();
      running = Math.max(running, Math.min(1.0, (m - i) * p));
      adjusted.put(byP.get(i), running);
    }
    Map<String, VariantVerdict> out = new LinkedHashMap<>();
    for (String n : names) {
      Difference d = byVariant.get(n);
      double adj = adjusted.get(n);
      Verdict v;
      if (adj < alpha && d.estimate() != 0) {
        boolean higher = d.estimate() > 0;
        v = higher == d.metric().higherIsBetter() ? Verdict.BETTER : Verdict.WORSE;
      } else {
        v = Verdict.INCONCLUSIVE;
      }
      out.put(n, new VariantVerdict(n, d, adj, v, d.note()));
    }
    return out;
  }

  /** {@link #holm(Map, double)} at alpha = 0.05. */
  public static Map<String, VariantVerdict> holm(Map<String, Difference> byVariant) {
    return holm(byVariant, DEFAULT_ALPHA);
  }
}
