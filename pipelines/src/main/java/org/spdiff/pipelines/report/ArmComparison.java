package org.spdiff.pipelines.report;

import java.io.Serializable;
import java.util.List;
import org.spdiff.metrics.compare.Difference;

/**
 * A variant against the control at the same sampling setting and CFG scale: paired differences
 * (variant minus control) with 95% intervals, and the verdict on FID.
 *
 * @param pairs training replicates paired by index (and so by seed)
 * @param differences one per metric (FID, IS, KID, precision, recall, density, coverage as
 *     computed); empty when the cells may not be compared
 * @param method how the intervals were computed
 * @param cardDifferences the evaluation-card fields in which the two arms differ: non-empty means
 *     the comparison was refused
 * @param verdict {@code better}, {@code worse}, {@code inconclusive} (on FID, Holm-corrected across
 *     the study's variants at this setting and CFG scale), {@code not comparable}, or empty until
 *     the report decides it
 * @param adjustedP Holm-adjusted p-value of the FID difference (NaN until decided)
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

  /** The verdict of a comparison whose evaluation cards differ. */
  public static final String NOT_COMPARABLE = "not comparable";

  /** The difference of the metric labelled {@code label} (e.g. {@code FID}), or null. */
  public Difference difference(String label) {
    return differences.stream()
        .filter(d -> d.metric().label().equals(label))
        .findFirst()
        .orElse(null);
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
