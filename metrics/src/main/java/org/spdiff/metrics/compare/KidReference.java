package org.spdiff.metrics.compare;

import java.util.ArrayList;
import java.util.List;
import org.spdiff.metrics.linalg.MatrixMultiplier;
import org.spdiff.metrics.stats.FeatureMatrix;
import org.spdiff.metrics.stats.NumpyRandomState;

/**
 * The reference side of KID for every generated set of n rows, computed once: the subsets
 * torch-fidelity draws (one {@code RandomState(seed)}: per subset, m generated indices of n, then m
 * reference indices, {@code choice(.., m, replace=False)}) and, per subset, the reference kernel
 * sum {@code sum_{i != j} k(y_i, y_j)} with {@code k(x, y) = (x.y / d + 1)^3}. The draws depend on
 * n, so one reference serves the cells of one sample count.
 */
public final class KidReference {
  private final FeatureMatrix rows;
  private final int generatedRows;
  private final int subsetSize;
  private final long seed;
  private final int[][] generatedDraws;
  private final int[][] referenceDraws;
  private final double[] referenceSums;
  private final List<String> warnings;

  private KidReference(
      FeatureMatrix rows,
      int generatedRows,
      int subsetSize,
      long seed,
      int[][] generatedDraws,
      int[][] referenceDraws,
      double[] referenceSums,
      List<String> warnings) {
    this.rows = rows;
    this.generatedRows = generatedRows;
    this.subsetSize = subsetSize;
    this.seed = seed;
    this.generatedDraws = generatedDraws;
    this.referenceDraws = referenceDraws;
    this.referenceSums = referenceSums;
    this.warnings = List.copyOf(warnings);
  }

  /**
   * @param rows reference rows (n_ref, d)
   * @param generatedRows n, the size of every generated set scored against this
   * @param subsets s >= 1
   * @param subsetSize m >= 2, clipped to min(n, n_ref) with a warning (torch-fidelity fails)
   * @param seed the {@code RandomState} seed (torch-fidelity: 2020)
   * @param products engine for the (m, m) reference Gram matrices
   */
  public static KidReference of(
      FeatureMatrix rows,
      int generatedRows,
      int subsets,
      int subsetSize,
      long seed,
      MatrixMultiplier products) {
    int n2 = rows.rows();
    if (generatedRows < 2 || n2 < 2) {
      throw new IllegalArgumentException(
          "KID needs at least 2 rows per set, have " + generatedRows + ", " + n2);
    }
    if (subsets < 1) {
      throw new IllegalArgumentException("subsets must be >= 1, got " + subsets);
    }
    List<String> warnings = new ArrayList<>();
    int m = subsetSize;
    if (m > Math.min(generatedRows, n2)) {
      m = Math.min(generatedRows, n2);
      warnings.add(
          "subset size "
              + subsetSize
              + " clipped to "
              + m
              + " (set sizes "
              + generatedRows
              + ", "
              + n2
              + "): not comparable with KID at the default subset size");
    }
    if (m < 2) {
      throw new IllegalArgumentException("subset size must be >= 2, got " + m);
    }
    NumpyRandomState rng = new NumpyRandomState(seed);
    int[][] gen = new int[subsets][];
    int[][] ref = new int[subsets][];
    double[] syy = new double[subsets];
    int d = rows.dim();
    for (int s = 0; s < subsets; s++) {
      gen[s] = rng.choiceWithoutReplacement(generatedRows, m);
      ref[s] = rng.choiceWithoutReplacement(n2, m);
      double[] y = rows.select(ref[s]).rowMajorView();
      double[] g = products.multiplyTransB(y, y, m, d, m);
      double sum = 0;
      for (int i = 0; i < m; i++) {
        double row = 0;
        for (int j = 0; j < m; j++) {
          if (j != i) {
            row += kernel(g[i * m + j], 1.0 / d);
          }
        }
        sum += row;
      }
      syy[s] = sum;
    }
    return new KidReference(rows, generatedRows, m, seed, gen, ref, syy, warnings);
  }

  /** {@code (g gamma + 1)^3}, gamma = 1 / d: the cubic polynomial kernel of a dot product g. */
  static double kernel(double g, double gamma) {
    double v = g * gamma + 1.0;
    return v * v * v;
  }

  /** The reference rows. */
  public FeatureMatrix rows() {
    return rows;
  }

  /** n, the generated set size the draws are for. */
  public int generatedRows() {
    return generatedRows;
  }

  /** Subsets s. */
  public int subsets() {
    return referenceSums.length;
  }

  /** Effective subset size m (after clipping). */
  public int subsetSize() {
    return subsetSize;
  }

  /** The draw seed. */
  public long seed() {
    return seed;
  }

  /** Feature dimension. */
  public int dim() {
    return rows.dim();
  }

  /** Warnings (subset size clipped); empty if none. */
  public List<String> warnings() {
    return warnings;
  }

  int[] generatedDraw(int s) {
    return generatedDraws[s];
  }

  int[] referenceDraw(int s) {
    return referenceDraws[s];
  }

  double referenceSum(int s) {
    return referenceSums[s];
  }
}
