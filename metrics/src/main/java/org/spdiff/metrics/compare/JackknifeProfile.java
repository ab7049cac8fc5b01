package org.spdiff.metrics.compare;

import java.io.Serializable;

/**
 * One statistic of one cell (one generated set of n samples) on all samples and with each fold of a
 * {@link PairedFolds} deleted: what the delete-a-group jackknife needs. Profiles of different cells
 * with the same (n, groups, foldSeed) delete the same sample indices, so they can be paired.
 *
 * @param metric which statistic
 * @param full the statistic on all n samples (the value reported for the cell)
 * @param withoutFold entry g: the statistic without the samples of fold g (G,)
 * @param n samples
 * @param groups folds G
 * @param foldSeed the fold permutation seed
 */
public record JackknifeProfile(
    Metric metric, double full, double[] withoutFold, int n, int groups, long foldSeed)
    implements Serializable {

  /** Validates that there is one deleted value per fold; copies the array. */
  public JackknifeProfile {
    if (withoutFold.length != groups) {
      throw new IllegalArgumentException(
          withoutFold.length + " fold-deleted values for " + groups + " folds");
    }
    withoutFold = withoutFold.clone();
  }

  /** A profile over the folds of {@code folds}. */
  public static JackknifeProfile of(
      Metric metric, double full, double[] withoutFold, PairedFolds folds) {
    return new JackknifeProfile(metric, full, withoutFold, folds.n(), folds.groups(), folds.seed());
  }

  /** A copy of the fold-deleted values. */
  @Override
  public double[] withoutFold() {
    return withoutFold.clone();
  }

  /** True if {@code other} deletes the same sample indices (same n, G and seed). */
  public boolean pairsWith(JackknifeProfile other) {
    return n == other.n && groups == other.groups && foldSeed == other.foldSeed;
  }
}
