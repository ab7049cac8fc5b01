package org.spdiff.metrics.prdc;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.spdiff.metrics.linalg.MatrixMultiplier;
import org.spdiff.metrics.stats.FeatureMatrix;

/**
 * Exact squared k-NN radii of the rows of one set within that set: for row i, the k-th smallest of
 * the exact squared distances to the other rows j != i (by index: a duplicate of row i is a
 * neighbour at distance 0, as in both papers' code, which takes the (k+1)-th smallest distance
 * including the zero to itself).
 *
 * <p>Per row: the k-th smallest upper bound (approximate distance + tolerance) bounds the k-th
 * exact distance from above, so every row whose lower bound lies below it is a candidate; the
 * candidates' exact distances give the exact k-th smallest. Optionally also the radius with one
 * fold of rows deleted, for every fold (the jackknife of recall).
 */
final class NeighbourRadii {
  private NeighbourRadii() {}

  /**
   * Squared radii for several k, no folds.
   *
   * @return {@code [ks index][row]}
   */
  static double[][] of(
      FeatureMatrix x,
      double[] squaredNorms,
      int[] ks,
      MatrixMultiplier p,
      SquaredDistances.BlockConsumer listener) {
    int n = x.rows();
    int kmax = Arrays.stream(ks).max().orElseThrow();
    double[][] out = new double[ks.length][n];
    double[] norm = SquaredDistances.norms(squaredNorms);
    double c = SquaredDistances.toleranceFactor(x.dim());
    SquaredDistances.gramBlocks(
        x,
        x,
        p,
        (from, to, gram) -> {
          IntStream.range(from, to)
              .parallel()
              .forEach(
                  i -> {
                    int o = (i - from) * n;
                    double[] top = new double[kmax];
                    Arrays.fill(top, Double.POSITIVE_INFINITY);
                    for (int j = 0; j < n; j++) {
                      if (j == i) {
                        continue;
                      }
                      double s = norm[i] + norm[j];
                      double up = squaredNorms[i] + squaredNorms[j] - 2 * gram[o + j] + c * s * s;
                      if (up < top[kmax - 1]) {
                        insert(top, up);
                      }
                    }
                    double q = top[kmax - 1];
                    double[] cand = new double[Math.max(8, 2 * kmax)];
                    int m = 0;
                    for (int j = 0; j < n; j++) {
                      if (j == i) {
                        continue;
                      }
                      double s = norm[i] + norm[j];
                      double lo = squaredNorms[i] + squaredNorms[j] - 2 * gram[o + j] - c * s * s;
                      if (lo <= q) {
                        if (m == cand.length) {
                          cand = Arrays.copyOf(cand, 2 * m);
                        }
                        cand[m++] = SquaredDistances.exact(x, i, x, j);
                      }
                    }
                    Arrays.sort(cand, 0, m);
                    for (int t = 0; t < ks.length; t++) {
                      out[t][i] = cand[ks[t] - 1];
                    }
                  });
          if (listener != null) {
            listener.accept(from, to, gram);
          }
        });
    return out;
  }

  /**
   * Squared k-NN radii with and without each fold.
   *
   * @param foldOf fold of each row, in [0, groups)
   * @return {@code [0][row]} the full radius, {@code [1 + g][row]} the radius among rows outside
   *     fold g (defined for every row, also those in fold g)
   */
  static double[][] withFolds(
      FeatureMatrix x,
      double[] squaredNorms,
      int k,
      int[] foldOf,
      int groups,
      MatrixMultiplier p,
      SquaredDistances.BlockConsumer listener) {
    int n = x.rows();
    double[][] out = new double[1 + groups][n];
    double[] norm = SquaredDistances.norms(squaredNorms);
    double c = SquaredDistances.toleranceFactor(x.dim());
    SquaredDistances.gramBlocks(
        x,
        x,
        p,
        (from, to, gram) -> {
          IntStream.range(from, to)
              .parallel()
              .forEach(
                  i -> {
                    int o = (i - from) * n;
                    double[][] top = new double[groups][k];
                    for (double[] t : top) {
                      Arrays.fill(t, Double.POSITIVE_INFINITY);
                    }
                    for (int j = 0; j < n; j++) {
                      if (j == i) {
                        continue;
                      }
                      double s = norm[i] + norm[j];
                      double up = squaredNorms[i] + squaredNorms[j] - 2 * gram[o + j] + c * s * s;
                      double[] t = top[foldOf[j]];
                      if (up < t[k - 1]) {
                        insert(t, up);
                      }
                    }
                    // The k-th smallest upper bound overall and without each fold; the largest
                    // of them bounds every radius needed.
                    double q = kthExcluding(top, k, -1);
                    for (int g = 0; g < groups; g++) {
                      q = Math.max(q, kthExcluding(top, k, g));
                    }
                    double[] cand = new double[Math.max(8, 4 * k)];
                    int[] candFold = new int[cand.length];
                    int m = 0;
                    for (int j = 0; j < n; j++) {
                      if (j == i) {
                        continue;
                      }
                      double s = norm[i] + norm[j];
                      double lo = squaredNorms[i] + squaredNorms[j] - 2 * gram[o + j] - c * s * s;
                      if (lo <= q) {
                        if (m == cand.length) {
                          cand = Arrays.copyOf(cand, 2 * m);
                          candFold = Arrays.copyOf(candFold, 2 * m);
                        }
                        cand[m] = SquaredDistances.exact(x, i, x, j);
                        candFold[m++] = foldOf[j];
                      }
                    }
                    Integer[] order = new Integer[m];
                    for (int t = 0; t < m; t++) {
                      order[t] = t;
                    }
                    double[] cv = cand;
                    Arrays.sort(order, (u, v) -> Double.compare(cv[u], cv[v]));
                    out[0][i] = cand[order[k - 1]];
                    for (int g = 0; g < groups; g++) {
                      int seen = 0;
                      for (int t = 0; t < m; t++) {
                        if (candFold[order[t]] != g && ++seen == k) {
                          out[1 + g][i] = cand[order[t]];
                          break;
                        }
                      }
                    }
                  });
          if (listener != null) {
            listener.accept(from, to, gram);
          }
        });
    return out;
  }

  /** The k-th smallest value in the per-fold top-k lists, skipping fold {@code skip} (-1: none). */
  private static double kthExcluding(double[][] top, int k, int skip) {
    double[] all = new double[top.length * k];
    int m = 0;
    for (int g = 0; g < top.length; g++) {
      if (g != skip) {
        System.arraycopy(top[g], 0, all, m, k);
        m += k;
      }
    }
    Arrays.sort(all, 0, m);
    return all[k - 1];
  }

  /** Inserts v into the ascending array a, dropping its largest element. */
  private static void insert(double[] a, double v) {
    int p = a.length - 1;
    while (p > 0 && a[p - 1] > v) {
      a[p] = a[p - 1];
      p--;
    }
    a[p] = v;
  }
}
