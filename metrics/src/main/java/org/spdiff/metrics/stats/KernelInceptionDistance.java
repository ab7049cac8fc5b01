package org.spdiff.metrics.stats;

import java.util.ArrayList;
import java.util.List;
import org.spdiff.metrics.linalg.LibtorchMultiplier;
import org.spdiff.metrics.linalg.MatrixMultiplier;

/**
 * Kernel Inception Distance (Binkowski et al. 2018): the unbiased estimate of MMD^2 between two
 * feature sets with the cubic polynomial kernel {@code k(x, y) = (x.y / d + 1)^3}, averaged over
 * random subsets.
 *
 * <p>Follows torch-fidelity's {@code kid_features_to_metric}: one {@code
 * np.random.RandomState(seed)} (seed 2020 by default) draws, for each of the s subsets (default
 * 100), {@code choice(n1, m, replace=False)} from the first set and then {@code choice(n2, m,
 * replace=False)} from the second (m = 1000 by default); each subset scores {@code (sum_{i!=j} Kxx
 * + sum_{i!=j} Kyy) / (m (m-1)) - 2 sum Kxy / m^2}; the result is the mean and the population std
 * (ddof = 0) over subsets. Differences: torch-fidelity fails when m exceeds a set's size, here m is
 * clipped to the smaller set (with a warning); kernels are computed in float64 (torch-fidelity
 * keeps float32 features).
 */
public final class KernelInceptionDistance {
  /** torch-fidelity's default number of subsets. */
  public static final int DEFAULT_SUBSETS = 100;

  /** torch-fidelity's default subset size. */
  public static final int DEFAULT_SUBSET_SIZE = 1000;

  /** torch-fidelity's default seed. */
  public static final long DEFAULT_SEED = 2020;

  private KernelInceptionDistance() {}

  /** torch-fidelity's defaults (100 subsets of 1000, seed 2020), libtorch products. */
  public static SplitScore compute(double[][] features1, double[][] features2) {
    return compute(
        features1,
        features2,
        DEFAULT_SUBSETS,
        DEFAULT_SUBSET_SIZE,
        DEFAULT_SEED,
        LibtorchMultiplier.INSTANCE);
  }

  /** torch-fidelity's defaults on float32 features (widened to float64). */
  public static SplitScore compute(float[][] features1, float[][] features2) {
    return compute(InceptionScore.toDouble(features1), InceptionScore.toDouble(features2));
  }

  /**
   * @param features1 (n1, d), e.g. reference features
   * @param features2 (n2, d), e.g. generated features
   * @param subsets s >= 1
   * @param subsetSize m >= 2, clipped to min(n1, n2)
   * @param seed {@code RandomState} seed in [0, 2^32)
   * @param products the engine for the (m, m) Gram matrices
   * @return mean and ddof-0 std of the s MMD^2 estimates (can be slightly negative)
   */
  public static SplitScore compute(
      double[][] features1,
      double[][] features2,
      int subsets,
      int subsetSize,
      long seed,
      MatrixMultiplier products) {
    int n1 = features1.length;
    int n2 = features2.length;
    if (n1 < 2 || n2 < 2) {
      throw new IllegalArgumentException(
          "KID needs at least 2 rows per set, have " + n1 + ", " + n2);
    }
    int d = features1[0].length;
    if (features2[0].length != d) {
      throw new IllegalArgumentException(
          "feature dims differ: set 1 has " + d + ", set 2 has " + features2[0].length);
    }
    if (subsets < 1) {
      throw new IllegalArgumentException("subsets must be >= 1, got " + subsets);
    }
    List<String> warnings = new ArrayList<>();
    int m = subsetSize;
    if (m > Math.min(n1, n2)) {
      m = Math.min(n1, n2);
      warnings.add(
          "subset size "
              + subsetSize
              + " clipped to "
              + m
              + " (set sizes "
              + n1
              + ", "
              + n2
              + "): not comparable with KID at the default subset size");
    }
    if (m < 2) {
      throw new IllegalArgumentException("subset size must be >= 2, got " + m);
    }
    NumpyRandomState rng = new NumpyRandomState(seed);
    double[] mmds = new double[subsets];
    for (int s = 0; s < subsets; s++) {
      double[] x = gather(features1, rng.choiceWithoutReplacement(n1, m), d, "set 1");
      double[] y = gather(features2, rng.choiceWithoutReplacement(n2, m), d, "set 2");
      mmds[s] = unbiasedMmd2(x, y, m, d, products);
    }
    return SplitScore.of(mmds, warnings);
  }

  /** Unbiased MMD^2 of two (m, d) row-major samples with the cubic polynomial kernel. */
  static double unbiasedMmd2(double[] x, double[] y, int m, int d, MatrixMultiplier products) {
    double sxx = kernelSum(products.multiplyTransB(x, x, m, d, m), m, d, true);
    double syy = kernelSum(products.multiplyTransB(y, y, m, d, m), m, d, true);
    double sxy = kernelSum(products.multiplyTransB(x, y, m, d, m), m, d, false);
    return (sxx + syy) / ((double) m * (m - 1)) - 2 * sxy / ((double) m * m);
  }

  private static double kernelSum(double[] gram, int m, int d, boolean offDiagonalOnly) {
    double gamma = 1.0 / d;
    double sum = 0;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        if (offDiagonalOnly && i == j) {
          continue;
        }
        double k = gram[i * m + j] * gamma + 1.0;
        sum += k * k * k;
      }
    }
    return sum;
  }

  private static double[] gather(double[][] rows, int[] idx, int d, String name) {
    double[] out = new double[idx.length * d];
    for (int r = 0; r < idx.length; r++) {
      double[] row = rows[idx[r]];
      if (row.length != d) {
        throw new IllegalArgumentException(
            name + " row " + idx[r] + " has " + row.length + " dims, expected " + d);
      }
      for (int j = 0; j < d; j++) {
        if (!Double.isFinite(row[j])) {
          throw new IllegalArgumentException(
              "non-finite feature " + row[j] + " in " + name + " row " + idx[r]);
        }
      }
      System.arraycopy(row, 0, out, r * d, d);
    }
    return out;
  }
}
