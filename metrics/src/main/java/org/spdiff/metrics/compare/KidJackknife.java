package org.spdiff.metrics.compare;

import java.util.ArrayList;
import java.util.List;
import org.spdiff.metrics.linalg.MatrixMultiplier;
import org.spdiff.metrics.stats.FeatureMatrix;
import org.spdiff.metrics.stats.KernelInceptionDistance;
import org.spdiff.metrics.stats.NumpyRandomState;
import org.spdiff.metrics.stats.SplitScore;

/**
 * KID of a generated set exactly as {@link KernelInceptionDistance#compute(double[][], double[][],
 * int, int, long, MatrixMultiplier)} defines it with the generated set first (torch-fidelity's
 * {@code input1}: one {@code RandomState(seed)} draws, per subset, m generated then m reference
 * rows; unbiased MMD^2 with the cubic kernel {@code (x.y / d + 1)^3}; mean over subsets), and with
 * each fold deleted: the fold's rows leave every subset they were drawn into (the reference rows
 * stay), and each subset's unbiased MMD^2 is recomputed on the rest. The kernel sums are kept per
 * pair of folds, so the G deleted values cost nothing beyond the full KID's three (m, m, d)
 * products per subset.
 */
public final class KidJackknife {
  private KidJackknife() {}

  /**
   * @param score mean and ddof-0 std of the per-subset MMD^2 (as {@link KernelInceptionDistance})
   * @param profile the jackknife profile of the mean
   */
  public record Result(SplitScore score, JackknifeProfile profile) {}

  /**
   * @param generated (n, d), n = folds.n()
   * @param reference (n_ref, d)
   * @param folds the paired folds
   * @param subsets s >= 1
   * @param subsetSize m >= 2, clipped to min(n, n_ref) with a warning
   * @param seed the {@code RandomState} seed (torch-fidelity: 2020)
   * @param products engine for the Gram matrices
   */
  public static Result profile(
      FeatureMatrix generated,
      FeatureMatrix reference,
      PairedFolds folds,
      int subsets,
      int subsetSize,
      long seed,
      MatrixMultiplier products) {
    int n1 = generated.rows();
    int n2 = reference.rows();
    int d = generated.dim();
    if (n1 != folds.n()) {
      throw new IllegalArgumentException(n1 + " generated rows, folds cover " + folds.n());
    }
    if (reference.dim() != d) {
      throw new IllegalArgumentException(
          "feature dims differ: generated set has " + d + ", reference has " + reference.dim());
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
    int g0 = folds.groups();
    double gamma = 1.0 / d;
    NumpyRandomState rng = new NumpyRandomState(seed);
    double[] mmd = new double[subsets];
    double[] deletedSum = new double[g0];
    for (int s = 0; s < subsets; s++) {
      int[] gi = rng.choiceWithoutReplacement(n1, m);
      int[] ri = rng.choiceWithoutReplacement(n2, m);
      double[] x = generated.select(gi).rowMajorView();
      double[] y = reference.select(ri).rowMajorView();
      int[] f = new int[m];
      int[] inFold = new int[g0];
      for (int i = 0; i < m; i++) {
        f[i] = folds.foldOf(gi[i]);
        inFold[f[i]]++;
      }
      double[] gxx = products.multiplyTransB(x, x, m, d, m);
      double[] gyy = products.multiplyTransB(y, y, m, d, m);
      double[] gxy = products.multiplyTransB(x, y, m, d, m);
      // cxx[a][b]: sum of k(x_i, x_j), i != j, i in fold a, j in fold b; cxy[a]: sum over i in a.
      double[][] cxx = new double[g0][g0];
      double[] cxy = new double[g0];
      double syy = 0;
      for (int i = 0; i < m; i++) {
        double[] row = cxx[f[i]];
        double rxy = 0;
        double ryy = 0;
        for (int j = 0; j < m; j++) {
          double kxy = cube(gxy[i * m + j] * gamma + 1.0);
          rxy += kxy;
          if (j != i) {
            row[f[j]] += cube(gxx[i * m + j] * gamma + 1.0);
            ryy += cube(gyy[i * m + j] * gamma + 1.0);
          }
        }
        cxy[f[i]] += rxy;
        syy += ryy;
      }
      double sxx = 0;
      double sxy = 0;
      for (int a = 0; a < g0; a++) {
        sxy += cxy[a];
        for (int b = 0; b < g0; b++) {
          sxx += cxx[a][b];
        }
      }
      double yy = syy / ((double) m * (m - 1));
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
        double xx = sxx;
        double xy = sxy - cxy[g];
        for (int a = 0; a < g0; a++) {
          xx -= cxx[a][g];
          if (a != g) {
            xx -= cxx[g][a];
          }
        }
        deletedSum[g] += xx / ((double) mg * (mg - 1)) + yy - 2 * xy / ((double) mg * m);
      }
    }
    double[] deleted = new double[g0];
    for (int g = 0; g < g0; g++) {
      deleted[g] = deletedSum[g] / subsets;
    }
    SplitScore score = SplitScore.of(mmd, warnings);
    return new Result(score, JackknifeProfile.of(Metric.KID, score.mean(), deleted, folds));
  }

  private static double cube(double v) {
    return v * v * v;
  }
}
