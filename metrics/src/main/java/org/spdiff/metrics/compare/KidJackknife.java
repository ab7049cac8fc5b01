package org.spdiff.metrics.compare;

import java.util.List;
import org.spdiff.metrics.linalg.MatrixMultiplier;
import org.spdiff.metrics.stats.FeatureMatrix;
import org.spdiff.metrics.stats.KernelInceptionDistance;
import org.spdiff.metrics.stats.SplitScore;

/**
 * KID of a generated set exactly as {@link KernelInceptionDistance#compute(double[][], double[][],
 * int, int, long, MatrixMultiplier)} defines it with the generated set first (torch-fidelity's
 * {@code input1}: one {@code RandomState(seed)} draws, per subset, m generated then m reference
 * rows; unbiased MMD^2 with the cubic kernel {@code (x.y / d + 1)^3}; mean over subsets), and with
 * each fold deleted: the fold's rows leave every subset they were drawn into (the reference rows
 * stay), and each subset's unbiased MMD^2 is recomputed on the rest. The kernel sums are kept per
 * pair of folds, so the G deleted values cost nothing beyond the full KID.
 *
 * <p>Cost per cell: two (m, m, d) products per subset (the reference sums are cached in {@link
 * KidReference}); none at all when the kernel sums are taken from the Gram blocks of the PRDC pass
 * ({@link KidGramAccumulator}, used by {@link CellProfiles} when KID and PRDC share the reference
 * rows).
 */
public final class KidJackknife {
  private KidJackknife() {}

  /**
   * @param score mean and ddof-0 std of the per-subset MMD^2 (as {@link KernelInceptionDistance})
   * @param profile the jackknife profile of the mean
   */
  public record Result(SplitScore score, JackknifeProfile profile) {}

  /**
   * One-off: draws the subsets and reference sums, then scores.
   *
   * @param generated (n, d), n = folds.n()
   * @param reference (n_ref, d)
   * @param subsets s >= 1
   * @param subsetSize m >= 2, clipped to min(n, n_ref) with a warning
   * @param seed the {@code RandomState} seed (torch-fidelity: 2020)
   */
  public static Result profile(
      FeatureMatrix generated,
      FeatureMatrix reference,
      PairedFolds folds,
      int subsets,
      int subsetSize,
      long seed,
      MatrixMultiplier products) {
    return profile(
        KidReference.of(reference, generated.rows(), subsets, subsetSize, seed, products),
        generated,
        folds,
        products);
  }

  /**
   * @param reference the cached reference side (its draws are for n = generated.rows())
   * @param generated (n, d), n = folds.n()
   * @param folds the paired folds
   * @param products engine for the generated Gram matrices
   */
  public static Result profile(
      KidReference reference,
      FeatureMatrix generated,
      PairedFolds folds,
      MatrixMultiplier products) {
    check(reference, generated, folds);
    int m = reference.subsetSize();
    int d = generated.dim();
    int g0 = folds.groups();
    double gamma = 1.0 / d;
    KernelSums sums = new KernelSums(reference.subsets(), g0);
    for (int s = 0; s < reference.subsets(); s++) {
      int[] gi = reference.generatedDraw(s);
      double[] x = generated.select(gi).rowMajorView();
      double[] y = reference.rows().select(reference.referenceDraw(s)).rowMajorView();
      int[] f = new int[m];
      for (int i = 0; i < m; i++) {
        f[i] = folds.foldOf(gi[i]);
      }
      double[] gxx = products.multiplyTransB(x, x, m, d, m);
      double[] gxy = products.multiplyTransB(x, y, m, d, m);
      double[][] cxx = sums.xx[s];
      double[] cxy = sums.xy[s];
      for (int i = 0; i < m; i++) {
        double[] row = cxx[f[i]];
        double rxy = 0;
        for (int j = 0; j < m; j++) {
          rxy += KidReference.kernel(gxy[i * m + j], gamma);
          if (j != i) {
            row[f[j]] += KidReference.kernel(gxx[i * m + j], gamma);
          }
        }
        cxy[f[i]] += rxy;
      }
    }
    return finish(reference, folds, sums);
  }

  static void check(KidReference reference, FeatureMatrix generated, PairedFolds folds) {
    if (generated.rows() != folds.n()) {
      throw new IllegalArgumentException(
          generated.rows() + " generated rows, folds cover " + folds.n());
    }
    if (generated.rows() != reference.generatedRows()) {
      throw new IllegalArgumentException(
          "the KID reference draws subsets of "
              + reference.generatedRows()
              + " generated rows, this set has "
              + generated.rows());
    }
    if (reference.dim() != generated.dim()) {
      throw new IllegalArgumentException(
          "feature dims differ: generated set has "
              + generated.dim()
              + ", reference has "
              + reference.dim());
    }
  }

  /**
   * Per subset s: {@code xx[s][a][b]} = sum of k(x_i, x_j), i != j, i in fold a, j in fold b;
   * {@code xy[s][a]} = sum of k(x_i, y_j) over i in fold a and all reference rows j.
   */
  static final class KernelSums {
    final double[][][] xx;
    final double[][] xy;

    KernelSums(int subsets, int groups) {
      xx = new double[subsets][groups][groups];
      xy = new double[subsets][groups];
    }
  }

  /** Unbiased MMD^2 per subset, all rows and without each fold, from the kernel sums. */
  static Result finish(KidReference reference, PairedFolds folds, KernelSums sums) {
    int m = reference.subsetSize();
    int g0 = folds.groups();
    int subsets = reference.subsets();
    double[] mmd = new double[subsets];
    double[] deletedSum = new double[g0];
    for (int s = 0; s < subsets; s++) {
      int[] inFold = new int[g0];
      for (int i : reference.generatedDraw(s)) {
        inFold[folds.foldOf(i)]++;
      }
      double[][] cxx = sums.xx[s];
      double[] cxy = sums.xy[s];
      double sxx = 0;
      double sxy = 0;
      for (int a = 0; a < g0; a++) {
        sxy += cxy[a];
        for (int b = 0; b < g0; b++) {
          sxx += cxx[a][b];
        }
      }
      double yy = reference.referenceSum(s) / ((double) m * (m - 1));
      mmd[s] = sxx / ((double) m * (m - 1)) + yy - 2 * sxy / ((double) m * m);
      for (int g = 0; g < g0; g++) {
        int mg = m - inFold[g];
        if (mg < 2) {
          throw new IllegalArgumentException(
              "a KID subset keeps "
                  + mg
                  + " rows without fold "
                  + g
                  + ": use a larger subset size or fewer folds");
        }
        // Pairs with neither row in fold g: all, minus row g and column g, plus their overlap.
        double xx = sxx;
        for (int a = 0; a < g0; a++) {
          xx -= cxx[a][g];
          if (a != g) {
            xx -= cxx[g][a];
          }
        }
        double xy = sxy - cxy[g];
        deletedSum[g] += xx / ((double) mg * (mg - 1)) + yy - 2 * xy / ((double) mg * m);
      }
    }
    double[] deleted = new double[g0];
    for (int g = 0; g < g0; g++) {
      deleted[g] = deletedSum[g] / subsets;
    }
    SplitScore score = SplitScore.of(mmd, List.copyOf(reference.warnings()));
    return new Result(score, JackknifeProfile.of(Metric.KID, score.mean(), deleted, folds));
  }
}
