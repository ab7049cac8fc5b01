package org.spdiff.metrics.compare;

import java.io.Serializable;
import org.spdiff.metrics.stats.InceptionScore;
import org.spdiff.metrics.stats.KernelInceptionDistance;

/**
 * Estimator parameters of the per-cell comparison statistics; cells compared with each other must
 * use the same settings (and hence delete the same sample indices).
 *
 * @param folds jackknife folds G, 2..64
 * @param foldSeed seed of the fold permutation; must differ from isSeed and kidSeed
 * @param isSplits Inception Score splits (torch-fidelity: 10)
 * @param isSeed Inception Score shuffle seed (torch-fidelity: 2020)
 * @param kidSubsets KID subsets (torch-fidelity: 100)
 * @param kidSubsetSize KID subset size (torch-fidelity: 1000)
 * @param kidSeed KID draw seed (torch-fidelity: 2020)
 */
public record ComparisonSettings(
    int folds,
    long foldSeed,
    int isSplits,
    long isSeed,
    int kidSubsets,
    int kidSubsetSize,
    long kidSeed)
    implements Serializable {

  /** Validates ranges, and that the fold seed differs from the IS and KID seeds. */
  public ComparisonSettings {
    if (foldSeed == isSeed || foldSeed == kidSeed) {
      throw new IllegalArgumentException(
          "foldSeed "
              + foldSeed
              + " equals the IS or KID seed: the folds would coincide with the IS splits or the"
              + " first KID subset; choose another fold seed");
    }
    if (folds < 2 || folds > 64) {
      throw new IllegalArgumentException("folds must be in [2, 64], got " + folds);
    }
    if (isSplits < 1) {
      throw new IllegalArgumentException("isSplits must be >= 1, got " + isSplits);
    }
    if (kidSubsets < 1 || kidSubsetSize < 2) {
      throw new IllegalArgumentException(
          "kidSubsets must be >= 1 and kidSubsetSize >= 2, got "
              + kidSubsets
              + ", "
              + kidSubsetSize);
    }
  }

  /** 10 folds (seed 1009) and torch-fidelity's IS and KID defaults. */
  public static ComparisonSettings defaults() {
    return new ComparisonSettings(
        PairedFolds.DEFAULT_GROUPS,
        PairedFolds.DEFAULT_SEED,
        InceptionScore.DEFAULT_SPLITS,
        InceptionScore.DEFAULT_SEED,
        KernelInceptionDistance.DEFAULT_SUBSETS,
        KernelInceptionDistance.DEFAULT_SUBSET_SIZE,
        KernelInceptionDistance.DEFAULT_SEED);
  }

  /** A copy with another fold count. */
  public ComparisonSettings withFolds(int g) {
    return new ComparisonSettings(
        g, foldSeed, isSplits, isSeed, kidSubsets, kidSubsetSize, kidSeed);
  }

  /** A copy with other KID subsets. */
  public ComparisonSettings withKid(int subsets, int subsetSize) {
    return new ComparisonSettings(folds, foldSeed, isSplits, isSeed, subsets, subsetSize, kidSeed);
  }

  /** A copy with another IS split count. */
  public ComparisonSettings withIsSplits(int splits) {
    return new ComparisonSettings(
        folds, foldSeed, splits, isSeed, kidSubsets, kidSubsetSize, kidSeed);
  }
}
