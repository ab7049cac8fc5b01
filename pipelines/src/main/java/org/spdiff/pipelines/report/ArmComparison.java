package org.spdiff.pipelines.report;

import java.io.Serializable;
import java.util.List;

/**
 * A variant against the control at the same sampling setting and CFG scale: paired differences
 * (variant minus control) with intervals, and the verdict on FID.
 *
 * @param pairs training replicates paired by index (and so by seed)
 * @param differences one per metric ({@code FID}, {@code IS}, {@code KID}, {@code precision},
 *     {@code recall}); empty when the cells may not be compared
 * @param method how the intervals were computed
 * @param cardDifferences the evaluation-card fields in which the two arms differ: non-empty means
 *     the comparison was refused
 * @param verdict {@code better}, {@code worse}, {@code inconclusive} (on FID, Holm-corrected across
 *     the study's variants) or {@code not comparable}
 * @param adjustedP Holm-adjusted p-value of the FID difference
 * @param note what the interval measures (e.g. only sampling noise with one replicate)
 * @param key the comparison's store key
 */
public record ArmComparison(
    String variant,
    String control,
    String setting,
    double cfgScale,
    int pairs,
    List<Difference> differences,
    String method,
    List<String> cardDifferences,
    String verdict,
    double adjustedP,
    String note,
    String key)
    implements Serializable {

  /**
   * One metric's paired difference, variant minus control.
   *
   * @param estimate the difference (mean over paired replicates)
   * @param lo lower end of the interval
   * @param hi upper end of the interval
   * @param p two-sided p-value of "no difference" (unadjusted)
   */
  public record Difference(String metric, double estimate, double lo, double hi, double p)
      implements Serializable {}

  /** The difference of {@code metric}, or null. */
  public Difference difference(String metric) {
    return differences.stream().filter(d -> d.metric().equals(metric)).findFirst().orElse(null);
  }

  /** The same comparison with its verdict decided. */
  public ArmComparison withVerdict(String v, double adjusted, String n) {
    return new ArmComparison(
        variant,
        control,
        setting,
        cfgScale,
        pairs,
        differences,
        method,
        cardDifferences,
        v,
        adjusted,
        n,
        key);
  }

  /** The row label of the variant's side, as in {@link RowScore#label()}. */
  public String rowLabel() {
    return variant + " @ " + setting + " cfg " + cfgScale;
  }
}
