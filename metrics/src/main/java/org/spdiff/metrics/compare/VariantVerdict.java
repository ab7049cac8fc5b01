package org.spdiff.metrics.compare;

import java.io.Serializable;

/**
 * The verdict on one variant against the control for one metric.
 *
 * @param variant the variant's name
 * @param difference variant minus control, with its (unadjusted) 95% interval and p-value
 * @param adjustedP Holm-adjusted p-value across the family of variants
 * @param verdict better / worse / inconclusive at the family-wise level
 * @param note what the interval measures (says so when only sampling noise was measured)
 */
public record VariantVerdict(
    String variant, Difference difference, double adjustedP, Verdict verdict, String note)
    implements Serializable {

  /** The metric judged. */
  public Metric metric() {
    return difference.metric();
  }

  /** True when K = 1: the verdict rests on sampling noise alone. */
  public boolean samplingNoiseOnly() {
    return difference.samplingNoiseOnly();
  }
}
