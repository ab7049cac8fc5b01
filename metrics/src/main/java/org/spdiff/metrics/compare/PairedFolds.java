package org.spdiff.metrics.compare;

import java.io.Serializable;
import org.spdiff.metrics.stats.NumpyRandomState;

/**
 * A seeded partition of sample indices 0..n-1 into G folds of n/G (+-1) samples, the same for every
 * cell of a study: sample i lies in fold {@code floor(pos(i) G / n)}, pos(i) its position in {@code
 * np.random.RandomState(seed).permutation(n)}. Since sample i has the same noise and class in every
 * cell (common random numbers), deleting fold g deletes the same noise draws from every cell and
 * replicate: the pairing the jackknife needs.
 */
public final class PairedFolds implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Default number of folds: 10 (t quantile with 9 degrees of freedom: 2.26). */
  public static final int DEFAULT_GROUPS = 10;

  /**
   * Default seed of the fold permutation. Not torch-fidelity's 2020: with the same seed and n, the
   * fold permutation would be the IS shuffle (10 folds = the 10 IS splits) and the first KID
   * subset's draw (all in fold 0).
   */
  public static final long DEFAULT_SEED = 1009;

  private final int n;
  private final int groups;
  private final long seed;
  private final int[] foldOf;
  private final int[] sizes;

  private PairedFolds(int n, int groups, long seed, int[] foldOf, int[] sizes) {
    this.n = n;
    this.groups = groups;
    this.seed = seed;
    this.foldOf = foldOf;
    this.sizes = sizes;
  }

  /**
   * @param n samples, >= 2 groups
   * @param groups folds, 2..64
   * @param seed permutation seed in [0, 2^32)
   */
  public static PairedFolds of(int n, int groups, long seed) {
    if (groups < 2 || groups > 64) {
      throw new IllegalArgumentException("folds must be in [2, 64], got " + groups);
    }
    if (n < 2 * groups) {
      throw new IllegalArgumentException(
          n + " samples are too few for " + groups + " folds (need at least 2 per fold)");
    }
    int[] perm = new NumpyRandomState(seed).permutation(n);
    int[] fold = new int[n];
    int[] sizes = new int[groups];
    for (int pos = 0; pos < n; pos++) {
      int g = (int) ((long) pos * groups / n);
      fold[perm[pos]] = g;
      sizes[g]++;
    }
    return new PairedFolds(n, groups, seed, fold, sizes);
  }

  /** Samples n. */
  public int n() {
    return n;
  }

  /** Folds G. */
  public int groups() {
    return groups;
  }

  /** The permutation seed. */
  public long seed() {
    return seed;
  }

  /** Fold of sample i, in [0, G). */
  public int foldOf(int i) {
    return foldOf[i];
  }

  /** Fold of every sample (n,), a copy. */
  public int[] foldOfAll() {
    return foldOf.clone();
  }

  /** Samples in fold g. */
  public int size(int g) {
    return sizes[g];
  }

  /** Ascending indices of the samples in fold g. */
  public int[] members(int g) {
    int[] out = new int[sizes[g]];
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (foldOf[i] == g) {
        out[m++] = i;
      }
    }
    return out;
  }
}
