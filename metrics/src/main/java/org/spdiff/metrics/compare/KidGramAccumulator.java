package org.spdiff.metrics.compare;

import java.util.stream.IntStream;
import org.spdiff.metrics.prdc.GramBlockListener;
import org.spdiff.metrics.stats.FeatureMatrix;

/**
 * KID's kernel sums taken from the Gram blocks of the PRDC pass (generated x generated and
 * reference x generated, where the PRDC reference rows are the KID reference rows), so that KID
 * needs no products per cell. Each (subset, position) owns its own accumulator row, filled in
 * dimension-independent but fixed order, so the result does not depend on the thread count. Equal
 * to {@link KidJackknife#profile(KidReference, FeatureMatrix, PairedFolds,
 * org.spdiff.metrics.linalg.MatrixMultiplier)} up to the rounding of the products.
 */
final class KidGramAccumulator implements GramBlockListener {
  private final KidReference reference;
  private final PairedFolds folds;
  private final int m;
  private final int g0;
  private final double gamma;

  /** For each generated row: (subset, position) pairs it was drawn into, as s * m + p. */
  private final int[][] generatedSlots;

  /** For each reference row: (subset, position) pairs. */
  private final int[][] referenceSlots;

  /** {@code xxRows[s][p * G + b]}: sum of k(x_p, x_q) over q != p with x_q in fold b. */
  private final double[][] xxRows;

  /** {@code xyRows[s][q * G + b]}: sum of k(x_p, y_q) over generated x_p in fold b. */
  private final double[][] xyRows;

  KidGramAccumulator(KidReference reference, FeatureMatrix generated, PairedFolds folds) {
    KidJackknife.check(reference, generated, folds);
    this.reference = reference;
    this.folds = folds;
    this.m = reference.subsetSize();
    this.g0 = folds.groups();
    this.gamma = 1.0 / generated.dim();
    int subsets = reference.subsets();
    this.generatedSlots = slots(generated.rows(), subsets, reference::generatedDraw);
    this.referenceSlots = slots(reference.rows().rows(), subsets, reference::referenceDraw);
    this.xxRows = new double[subsets][m * g0];
    this.xyRows = new double[subsets][m * g0];
  }

  private int[][] slots(int rows, int subsets, java.util.function.IntFunction<int[]> draws) {
    int[] count = new int[rows];
    for (int s = 0; s < subsets; s++) {
      for (int i : draws.apply(s)) {
        count[i]++;
      }
    }
    int[][] out = new int[rows][];
    for (int i = 0; i < rows; i++) {
      out[i] = new int[count[i]];
    }
    int[] fill = new int[rows];
    for (int s = 0; s < subsets; s++) {
      int[] d = draws.apply(s);
      for (int p = 0; p < d.length; p++) {
        out[d[p]][fill[d[p]]++] = s * m + p;
      }
    }
    return out;
  }

  @Override
  public void generatedBlock(int from, int to, double[] gram) {
    int n = generatedSlots.length;
    IntStream.range(from, to)
        .parallel()
        .forEach(
            i -> {
              int o = (i - from) * n;
              for (int slot : generatedSlots[i]) {
                int s = slot / m;
                int p = slot % m;
                int[] draw = reference.generatedDraw(s);
                double[] acc = xxRows[s];
                int base = p * g0;
                for (int q = 0; q < m; q++) {
                  if (q != p) {
                    int j = draw[q];
                    acc[base + folds.foldOf(j)] += KidReference.kernel(gram[o + j], gamma);
                  }
                }
              }
            });
  }

  @Override
  public void referenceBlock(int from, int to, double[] gram) {
    int n = generatedSlots.length;
    IntStream.range(from, to)
        .parallel()
        .forEach(
            r -> {
              int o = (r - from) * n;
              for (int slot : referenceSlots[r]) {
                int s = slot / m;
                int q = slot % m;
                int[] draw = reference.generatedDraw(s);
                double[] acc = xyRows[s];
                int base = q * g0;
                for (int p = 0; p < m; p++) {
                  int j = draw[p];
                  acc[base + folds.foldOf(j)] += KidReference.kernel(gram[o + j], gamma);
                }
              }
            });
  }

  /** The KID score and profile from the accumulated sums (call after the PRDC pass). */
  KidJackknife.Result result() {
    KidJackknife.KernelSums sums = new KidJackknife.KernelSums(reference.subsets(), g0);
    for (int s = 0; s < reference.subsets(); s++) {
      int[] draw = reference.generatedDraw(s);
      for (int p = 0; p < m; p++) {
        int a = folds.foldOf(draw[p]);
        for (int b = 0; b < g0; b++) {
          sums.xx[s][a][b] += xxRows[s][p * g0 + b];
        }
      }
      for (int q = 0; q < m; q++) {
        for (int b = 0; b < g0; b++) {
          sums.xy[s][b] += xyRows[s][q * g0 + b];
        }
      }
    }
    return KidJackknife.finish(reference, folds, sums);
  }
}
