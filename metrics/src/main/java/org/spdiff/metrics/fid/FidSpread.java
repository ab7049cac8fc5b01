package org.spdiff.metrics.fid;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.spdiff.metrics.stats.FeatureStats;
import org.spdiff.metrics.stats.SplitScore;

/**
 * FID uncertainty from disjoint splits of the generated features: one FID per split against the
 * same reference, then mean and spread. Each split has n / k samples, and FID is biased upwards at
 * small n, so the split mean exceeds the FID of all n samples: compare configurations by split FIDs
 * of equal split size, using {@link SplitScore#standardError()} (ddof = 1) to judge a difference.
 */
public final class FidSpread {
  private FidSpread() {}

  /**
   * @param reference the cached reference
   * @param splits per-split statistics of disjoint parts of the generated features (k >= 2)
   * @return mean and ddof-0 std of the k FIDs (see {@link SplitScore#sampleStd()}), with the union
   *     of the per-split warnings
   */
  public static SplitScore compute(FrechetReference reference, List<FeatureStats> splits) {
    if (splits.size() < 2) {
      throw new IllegalArgumentException("need at least 2 splits, got " + splits.size());
    }
    double[] values = new double[splits.size()];
    LinkedHashSet<String> warnings = new LinkedHashSet<>();
    for (int i = 0; i < values.length; i++) {
      FidResult r = FrechetDistance.compute(reference, splits.get(i));
      values[i] = r.value();
      warnings.addAll(r.warnings());
    }
    return SplitScore.of(values, new ArrayList<>(warnings));
  }

  /**
   * Splits feature rows (n, d) into k disjoint contiguous parts and accumulates each (shuffle the
   * rows first if their order is meaningful).
   */
  public static List<FeatureStats> split(double[][] features, int k) {
    int n = features.length;
    if (k < 1 || k > n) {
      throw new IllegalArgumentException("k must be in [1, " + n + "], got " + k);
    }
    List<FeatureStats> out = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      int from = (int) ((long) i * n / k);
      int to = (int) ((long) (i + 1) * n / k);
      FeatureStats s = new FeatureStats(features[0].length);
      s.add(java.util.Arrays.copyOfRange(features, from, to));
      out.add(s);
    }
    return out;
  }
}
