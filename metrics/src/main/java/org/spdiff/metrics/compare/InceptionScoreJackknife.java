package org.spdiff.metrics.compare;

import java.util.ArrayList;
import java.util.List;
import org.spdiff.metrics.stats.InceptionScore;
import org.spdiff.metrics.stats.NumpyRandomState;
import org.spdiff.metrics.stats.SplitScore;

/**
 * Inception Score of a generated set, exactly as {@link InceptionScore#compute(double[][], int,
 * boolean, long)} defines it (torch-fidelity: rows shuffled by {@code RandomState(seed)}, k splits,
 * mean of per-split {@code exp(mean KL)}), and with each fold deleted: the fold's rows leave the
 * splits they were in (split membership does not change), and each split's score is recomputed from
 * its remaining rows. The full value equals {@link InceptionScore} up to summation order.
 *
 * <p>Per split and fold it keeps the sum of {@code p(y|x)} (C,) and of {@code sum_y p log p}, so
 * the fold-deleted scores cost O(k G^2 C) after one pass over the logits.
 */
public final class InceptionScoreJackknife {
  private InceptionScoreJackknife() {}

  /**
   * @param score the split score of all rows (mean and ddof-0 std over the k splits)
   * @param profile the jackknife profile of the mean
   */
  public record Result(SplitScore score, JackknifeProfile profile) {}

  /**
   * @param logits (n, C) unnormalised class scores, n = folds.n()
   * @param folds the paired folds
   * @param splits k, 1..n
   * @param seed the shuffle seed (torch-fidelity: 2020)
   */
  public static Result profile(double[][] logits, PairedFolds folds, int splits, long seed) {
    int n = logits.length;
    if (n != folds.n()) {
      throw new IllegalArgumentException(n + " logit rows, folds cover " + folds.n() + " samples");
    }
    if (splits < 1 || splits > n) {
      throw new IllegalArgumentException("splits must be in [1, " + n + "], got " + splits);
    }
    int c = logits[0].length;
    int g0 = folds.groups();
    int[] order = new NumpyRandomState(seed).permutation(n);
    double[][][] psum = new double[splits][g0][c];
    double[][] hsum = new double[splits][g0];
    int[][] count = new int[splits][g0];
    int[] splitOf = new int[n];
    for (int s = 0; s < splits; s++) {
      // Split s holds positions [s n / k, (s + 1) n / k) with integer division, as numpy slices.
      for (int r = (int) ((long) s * n / splits); r < (int) ((long) (s + 1) * n / splits); r++) {
        splitOf[r] = s;
      }
    }
    for (int r = 0; r < n; r++) {
      int row = order[r];
      int s = splitOf[r];
      int g = folds.foldOf(row);
      double[] z = logits[row];
      if (z.length != c) {
        throw new IllegalArgumentException(
            "logit row " + row + " has " + z.length + " classes, expected " + c);
      }
      double max = Double.NEGATIVE_INFINITY;
      for (double v : z) {
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("non-finite logit " + v + " in row " + row);
        }
        max = Math.max(max, v);
      }
      double sum = 0;
      for (double v : z) {
        sum += Math.exp(v - max);
      }
      double lse = max + Math.log(sum);
      double h = 0;
      double[] ps = psum[s][g];
      for (int j = 0; j < c; j++) {
        double lp = z[j] - lse;
        double p = Math.exp(lp);
        ps[j] += p;
        if (p > 0) {
          h += p * lp;
        }
      }
      hsum[s][g] += h;
      count[s][g]++;
    }
    double[] splitScores = new double[splits];
    for (int s = 0; s < splits; s++) {
      splitScores[s] = splitScore(psum[s], hsum[s], count[s], -1, c);
    }
    double[] deleted = new double[g0];
    for (int g = 0; g < g0; g++) {
      double total = 0;
      int used = 0;
      for (int s = 0; s < splits; s++) {
        double v = splitScore(psum[s], hsum[s], count[s], g, c);
        if (!Double.isNaN(v)) {
          total += v;
          used++;
        }
      }
      deleted[g] = total / used;
    }
    List<String> warnings = new ArrayList<>();
    if (n / splits < 2) {
      warnings.add("only " + n + " samples for " + splits + " splits: split scores are noise");
    }
    SplitScore score = SplitScore.of(splitScores, warnings);
    return new Result(score, JackknifeProfile.of(Metric.IS, score.mean(), deleted, folds));
  }

  /** exp(mean KL) of one split without fold {@code skip} (-1: none); NaN if nothing is left. */
  private static double splitScore(double[][] psum, double[] hsum, int[] count, int skip, int c) {
    double[] q = new double[c];
    double h = 0;
    int m = 0;
    for (int g = 0; g < psum.length; g++) {
      if (g == skip) {
        continue;
      }
      for (int j = 0; j < c; j++) {
        q[j] += psum[g][j];
      }
      h += hsum[g];
      m += count[g];
    }
    if (m == 0) {
      return Double.NaN;
    }
    // sum_x sum_y p (log p - log q) = sum_x sum_y p log p - sum_y (sum_x p) log q, q = mean p.
    double cross = 0;
    for (int j = 0; j < c; j++) {
      if (q[j] > 0) {
        cross += q[j] * Math.log(q[j] / m);
      }
    }
    return Math.exp((h - cross) / m);
  }
}
