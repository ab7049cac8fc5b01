package org.spdiff.metrics.prdc;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.spdiff.metrics.linalg.MatrixMultiplier;
import org.spdiff.metrics.stats.FeatureMatrix;

/**
 * The two Gram passes behind {@link Prdc}: generated x generated for the generated k-NN radii
 * (recall), then real x generated, where every pair is tested against the real radii (precision,
 * density, coverage) and the generated radii (recall). Every comparison the product's rounding
 * could flip is redone with the exact distance. Fold bookkeeping (bit masks per real row, flags and
 * counts per generated row) gives the fold-deleted values from the same pass.
 */
final class PrdcPass {
  private PrdcPass() {}

  /** Per-chunk accumulators for the generated rows (merged after each block: OR and sums). */
  private record Partial(boolean[] inManifold, int[] inBalls) {}

  static PrdcFolds run(
      PrdcReference ref, FeatureMatrix fake, int[] foldOf, int groups, GramBlockListener listener) {
    FeatureMatrix real = ref.real();
    if (fake.dim() != real.dim()) {
      throw new IllegalArgumentException(
          "feature dims differ: real set has " + real.dim() + ", generated set has " + fake.dim());
    }
    int k = ref.k();
    int dcK = ref.dcK();
    int m = fake.rows();
    int n = real.rows();
    boolean folds = foldOf != null;
    int g0 = folds ? groups : 1;
    int[] fold = folds ? foldOf : new int[m];
    int[] foldSize = new int[g0];
    for (int j = 0; j < m; j++) {
      if (fold[j] < 0 || fold[j] >= g0) {
        throw new IllegalArgumentException(
            "fold of row " + j + " is " + fold[j] + ", expected [0, " + g0 + ")");
      }
      foldSize[fold[j]]++;
    }
    if (m <= k) {
      throw new IllegalArgumentException(
          "the generated set has " + m + " rows: needs more than k = " + k);
    }
    if (folds) {
      for (int g = 0; g < g0; g++) {
        if (m - foldSize[g] <= k) {
          throw new IllegalArgumentException(
              "without fold "
                  + g
                  + " the generated set keeps "
                  + (m - foldSize[g])
                  + " rows: needs more than k = "
                  + k);
        }
      }
    }
    MatrixMultiplier p = ref.products();
    double[] b = fake.squaredNorms();
    double[] fn = SquaredDistances.norms(b);
    double[][] s2 =
        folds
            ? NeighbourRadii.withFolds(
                fake, b, k, fold, g0, p, listener == null ? null : listener::generatedBlock)
            : new double[][] {
              NeighbourRadii.of(
                  fake, b, new int[] {k}, p, listener == null ? null : listener::generatedBlock)[0]
            };
    double[] s2max = new double[m];
    for (int j = 0; j < m; j++) {
      double v = s2[0][j];
      for (int g = 1; g < s2.length; g++) {
        v = Math.max(v, s2[g][j]);
      }
      s2max[j] = v;
    }

    double[] a = ref.squaredNorms();
    double[] rn = SquaredDistances.norms(a);
    double[] tk = ref.radiusK2();
    double[] tdc = ref.radiusDc2();
    double c = SquaredDistances.toleranceFactor(real.dim());
    long allBits = g0 == 64 ? -1L : (1L << g0) - 1;
    boolean[] inManifold = new boolean[m];
    long[] inBalls = new long[m];
    long[] coverMask = new long[n];
    long[] recallMask = new long[n];
    boolean[] recallFull = new boolean[n];
    int workers = Math.max(1, Runtime.getRuntime().availableProcessors());

    SquaredDistances.gramBlocks(
        real,
        fake,
        p,
        (from, to, gram) -> {
          int chunks = Math.min(to - from, workers);
          List<Partial> parts =
              IntStream.range(0, chunks)
                  .parallel()
                  .mapToObj(
                      ch -> {
                        boolean[] inM = new boolean[m];
                        int[] cnt = new int[m];
                        int lo0 = from + (int) ((long) ch * (to - from) / chunks);
                        int hi0 = from + (int) ((long) (ch + 1) * (to - from) / chunks);
                        for (int i = lo0; i < hi0; i++) {
                          int o = (i - from) * m;
                          double ai = a[i];
                          double ri = rn[i];
                          double ti = tk[i];
                          double tdi = tdc[i];
                          double tmax = Math.max(ti, tdi);
                          for (int j = 0; j < m; j++) {
                            double s = ri + fn[j];
                            double tol = c * s * s;
                            double dd = ai + b[j] - 2 * gram[o + j];
                            double lo = dd - tol;
                            if (lo > tmax && lo > s2max[j]) {
                              continue;
                            }
                            double hi = dd + tol;
                            double e = Double.NaN;
                            if (!inM[j] && lo <= ti) {
                              boolean in = hi <= ti;
                              if (!in) {
                                e = SquaredDistances.exact(real, i, fake, j);
                                in = e <= ti;
                              }
                              inM[j] |= in;
                            }
                            if (lo <= tdi) {
                              boolean in = hi <= tdi;
                              if (!in) {
                                if (Double.isNaN(e)) {
                                  e = SquaredDistances.exact(real, i, fake, j);
                                }
                                in = e <= tdi;
                              }
                              if (in) {
                                cnt[j]++;
                                coverMask[i] |= 1L << fold[j];
                              }
                            }
                            if (lo <= s2max[j]) {
                              double t3 = s2[0][j];
                              boolean in3 = false;
                              if (lo <= t3) {
                                in3 = hi <= t3;
                                if (!in3) {
                                  if (Double.isNaN(e)) {
                                    e = SquaredDistances.exact(real, i, fake, j);
                                  }
                                  in3 = e <= t3;
                                }
                              }
                              if (in3) {
                                // Deleting rows only lengthens radii: inside for every other fold.
                                recallFull[i] = true;
                                recallMask[i] |= allBits & ~(1L << fold[j]);
                              } else if (folds) {
                                for (int g = 0; g < g0; g++) {
                                  double t = s2[1 + g][j];
                                  if (g == fold[j] || lo > t) {
                                    continue;
                                  }
                                  boolean in = hi <= t;
                                  if (!in) {
                                    if (Double.isNaN(e)) {
                                      e = SquaredDistances.exact(real, i, fake, j);
                                    }
                                    in = e <= t;
                                  }
                                  if (in) {
                                    recallMask[i] |= 1L << g;
                                  }
                                }
                              }
                            }
                          }
                        }
                        return new Partial(inM, cnt);
                      })
                  .toList();
          for (Partial part : parts) {
            for (int j = 0; j < m; j++) {
              inManifold[j] |= part.inManifold()[j];
              inBalls[j] += part.inBalls()[j];
            }
          }
          if (listener != null) {
            listener.referenceBlock(from, to, gram);
          }
        });

    Prdc full =
        summary(ref, m, n, inManifold, inBalls, fold, -1, count(recallFull), coverMask, allBits, m);
    List<Prdc> deleted = new ArrayList<>();
    if (folds) {
      for (int g = 0; g < g0; g++) {
        long bit = 1L << g;
        int recalled = 0;
        for (int i = 0; i < n; i++) {
          if ((recallMask[i] & bit) != 0) {
            recalled++;
          }
        }
        deleted.add(
            summary(
                ref,
                m,
                n,
                inManifold,
                inBalls,
                fold,
                g,
                recalled,
                coverMask,
                allBits & ~bit,
                m - foldSize[g]));
      }
    }
    return new PrdcFolds(full, deleted);
  }

  private static Prdc summary(
      PrdcReference ref,
      int m,
      int n,
      boolean[] inManifold,
      long[] inBalls,
      int[] fold,
      int skip,
      int recalled,
      long[] coverMask,
      long keepBits,
      int kept) {
    int precise = 0;
    long balls = 0;
    for (int j = 0; j < m; j++) {
      if (fold[j] == skip) {
        continue;
      }
      if (inManifold[j]) {
        precise++;
      }
      balls += inBalls[j];
    }
    int covered = 0;
    for (int i = 0; i < n; i++) {
      if ((coverMask[i] & keepBits) != 0) {
        covered++;
      }
    }
    return new Prdc(
        (double) precise / kept,
        (double) recalled / n,
        (double) balls / ((double) ref.dcK() * kept),
        (double) covered / n,
        ref.k(),
        ref.dcK(),
        n,
        kept);
  }

  private static int count(boolean[] a) {
    int c = 0;
    for (boolean v : a) {
      if (v) {
        c++;
      }
    }
    return c;
  }
}
