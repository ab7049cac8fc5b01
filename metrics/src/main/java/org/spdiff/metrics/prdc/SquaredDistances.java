package org.spdiff.metrics.prdc;

import org.spdiff.metrics.linalg.MatrixMultiplier;
import org.spdiff.metrics.stats.FeatureMatrix;

/**
 * Squared Euclidean distances between feature rows, two ways: approximately from a Gram product
 * ({@code |x|^2 + |y|^2 - 2 x.y}, fast, a block of rows at a time) and exactly as {@code sum_t (x_t
 * - y_t)^2} summed in dimension order (the definition the results follow).
 *
 * <p>Error bound: for any summation order, the product route and the exact sum each differ from the
 * real-number distance by at most {@code gamma_{d+3} (|x| + |y|)^2} (Higham, "Accuracy and
 * Stability of Numerical Algorithms", 2nd ed., eq. 3.5; {@code gamma_n = n u / (1 - n u)}, u =
 * 2^-53). {@link #tolerance} returns twice the sum of both bounds, so when the approximate value is
 * further than that from a threshold, the exact sum lies on the same side.
 */
final class SquaredDistances {
  private static final double U = 0x1.0p-53;

  /** Upper bound on the product's share of one Gram block, in doubles (64 MiB). */
  static final int BLOCK_DOUBLES = 8 << 20;

  private SquaredDistances() {}

  /** One block of Gram products: rows {@code [from, to)} of x against all rows of y. */
  interface BlockConsumer {
    /**
     * @param gram (to - from, y.rows()) row-major, entry (r, j) = {@code x_{from + r} . y_j}
     */
    void accept(int from, int to, double[] gram);
  }

  /** Feeds {@code x y^T} to {@code consumer} in blocks of rows of x, in order. */
  static void gramBlocks(
      FeatureMatrix x, FeatureMatrix y, MatrixMultiplier products, BlockConsumer consumer) {
    int d = x.dim();
    int block = Math.max(1, Math.min(x.rows(), BLOCK_DOUBLES / y.rows()));
    double[] yv = y.rowMajorView();
    for (int from = 0; from < x.rows(); from += block) {
      int to = Math.min(x.rows(), from + block);
      double[] gram = products.multiplyTransB(x.rowBlock(from, to), yv, to - from, d, y.rows());
      consumer.accept(from, to, gram);
    }
  }

  /** Exact {@code sum_t (x_t - y_t)^2} of row i of x and row j of y, summed in dimension order. */
  static double exact(FeatureMatrix x, int i, FeatureMatrix y, int j) {
    int d = x.dim();
    double[] a = x.rowMajorView();
    double[] b = y.rowMajorView();
    int ao = i * d;
    int bo = j * d;
    double s = 0;
    for (int t = 0; t < d; t++) {
      double v = a[ao + t] - b[bo + t];
      s += v * v;
    }
    return s;
  }

  /** The constant c of {@code tolerance = c (|x| + |y|)^2} for dimension d. */
  static double toleranceFactor(int d) {
    double nu = (d + 3) * U;
    return 4 * nu / (1 - nu);
  }

  /** Row norms |x_i| (not squared). */
  static double[] norms(double[] squaredNorms) {
    double[] out = new double[squaredNorms.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.sqrt(squaredNorms[i]);
    }
    return out;
  }
}
