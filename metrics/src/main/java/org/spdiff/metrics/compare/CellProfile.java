package org.spdiff.metrics.compare;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.spdiff.metrics.fid.FidInfinity;
import org.spdiff.metrics.stats.SplitScore;

/**
 * Every comparison statistic of one cell (one generated set of n samples): a {@link
 * JackknifeProfile} per metric, all over the same folds, plus the split scores a table reports for
 * IS (mean and std over splits) and KID (mean and std over subsets). Computed once per cell by
 * {@link CellProfiles#compute}; pairing two cells' profiles ({@link PairedComparison}) needs no
 * further FID evaluation.
 *
 * @param samples n
 * @param groups folds G
 * @param foldSeed the fold permutation seed
 * @param metrics the profiles present (FID always; IS with logits; KID and PRDC with reference
 *     rows)
 * @param fidInfinity FID-infinity of the cell (fitted on nested unions of the folds)
 * @param inceptionScore IS split score, or null without logits
 * @param kid KID subset score, or null without KID reference rows
 * @param warnings why a value may be unreliable; empty if none
 */
public record CellProfile(
    int samples,
    int groups,
    long foldSeed,
    Map<Metric, JackknifeProfile> metrics,
    FidInfinity fidInfinity,
    SplitScore inceptionScore,
    SplitScore kid,
    List<String> warnings)
    implements Serializable {

  /** Copies the map (in {@link Metric} order) and the warnings. */
  public CellProfile {
    metrics = java.util.Collections.unmodifiableMap(new EnumMap<>(metrics));
    warnings = List.copyOf(warnings);
  }

  /** The profile of {@code metric}; throws if it was not computed. */
  public JackknifeProfile profile(Metric metric) {
    JackknifeProfile p = metrics.get(metric);
    if (p == null) {
      throw new IllegalArgumentException(metric.label() + " was not computed for this cell");
    }
    return p;
  }

  /** The full-sample value of {@code metric}. */
  public double value(Metric metric) {
    return profile(metric).full();
  }
}
