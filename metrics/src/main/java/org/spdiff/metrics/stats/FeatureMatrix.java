package org.spdiff.metrics.stats;

import java.io.Serializable;
import java.util.Objects;

/**
 * An immutable (n, d) float64 matrix of feature rows (row i = the features of sample i), stored
 * row-major in one array. The input of the statistics that need the rows themselves rather than
 * their moments: precision/recall/density/coverage, KID, FID-infinity and the paired jackknife.
 *
 * <p>All values are finite (checked on construction); float32 features are widened exactly.
 */
public final class FeatureMatrix implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] data;
  private final int rows;
  private final int dim;

  private FeatureMatrix(double[] data, int rows, int dim) {
    this.data = data;
    this.rows = rows;
    this.dim = dim;
  }

  /**
   * Copies rows (n, d).
   *
   * @throws IllegalArgumentException if there are no rows, the rows are ragged, or a value is not
   *     finite (the message names the row and column)
   */
  public static FeatureMatrix of(double[][] rows) {
    Objects.requireNonNull(rows, "rows");
    if (rows.length == 0) {
      throw new IllegalArgumentException("no feature rows");
    }
    int d = rows[0].length;
    if (d == 0) {
      throw new IllegalArgumentException("feature rows have 0 dims");
    }
    double[] data = new double[Math.multiplyExact(rows.length, d)];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != d) {
        throw new IllegalArgumentException(
            "row " + i + " has " + rows[i].length + " dims, expected " + d);
      }
      System.arraycopy(rows[i], 0, data, i * d, d);
    }
    return checked(data, rows.length, d);
  }

  /** Copies float32 rows (n, d), widened to float64; same checks as {@link #of(double[][])}. */
  public static FeatureMatrix of(float[][] rows) {
    Objects.requireNonNull(rows, "rows");
    if (rows.length == 0) {
      throw new IllegalArgumentException("no feature rows");
    }
    int d = rows[0].length;
    if (d == 0) {
      throw new IllegalArgumentException("feature rows have 0 dims");
    }
    double[] data = new double[Math.multiplyExact(rows.length, d)];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != d) {
        throw new IllegalArgumentException(
            "row " + i + " has " + rows[i].length + " dims, expected " + d);
      }
      for (int j = 0; j < d; j++) {
        data[i * d + j] = rows[i][j];
      }
    }
    return checked(data, rows.length, d);
  }

  /**
   * Copies a row-major array.
   *
   * @param data {@code rows * dim} values, row i at {@code [i * dim, (i + 1) * dim)}
   */
  public static FeatureMatrix of(double[] data, int rows, int dim) {
    if (rows <= 0 || dim <= 0) {
      throw new IllegalArgumentException("shape must be positive, got (" + rows + ", " + dim + ")");
    }
    if (data.length != (long) rows * dim) {
      throw new IllegalArgumentException(
          data.length + " values do not fill (" + rows + ", " + dim + ")");
    }
    return checked(data.clone(), rows, dim);
  }

  private static FeatureMatrix checked(double[] data, int rows, int dim) {
    for (int k = 0; k < data.length; k++) {
      if (!Double.isFinite(data[k])) {
        throw new IllegalArgumentException(
            "non-finite feature value " + data[k] + " at row " + k / dim + ", dim " + k % dim);
      }
    }
    return new FeatureMatrix(data, rows, dim);
  }

  /** Number of rows n. */
  public int rows() {
    return rows;
  }

  /** Feature dimension d. */
  public int dim() {
    return dim;
  }

  /** Entry (i, j). */
  public double get(int i, int j) {
    return data[i * dim + j];
  }

  /** Row i, a copy (d,). */
  public double[] row(int i) {
    double[] r = new double[dim];
    System.arraycopy(data, i * dim, r, 0, dim);
    return r;
  }

  /**
   * The backing row-major array (n * d), not a copy: for products and scans that must not copy 10^7
   * values. Callers must not modify it.
   */
  public double[] rowMajorView() {
    return data;
  }

  /** Rows {@code [from, to)} as a row-major copy ((to - from) * d). */
  public double[] rowBlock(int from, int to) {
    if (from < 0 || to > rows || from > to) {
      throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of " + rows);
    }
    double[] out = new double[(to - from) * dim];
    System.arraycopy(data, from * dim, out, 0, out.length);
    return out;
  }

  /** The rows at {@code indices}, in that order (repeats allowed). */
  public FeatureMatrix select(int[] indices) {
    if (indices.length == 0) {
      throw new IllegalArgumentException("no rows selected");
    }
    double[] out = new double[Math.multiplyExact(indices.length, dim)];
    for (int r = 0; r < indices.length; r++) {
      int i = indices[r];
      if (i < 0 || i >= rows) {
        throw new IndexOutOfBoundsException("row " + i + " of " + rows);
      }
      System.arraycopy(data, i * dim, out, r * dim, dim);
    }
    return new FeatureMatrix(out, indices.length, dim);
  }

  /** Squared Euclidean norm of every row, summed in dimension order (n,). */
  public double[] squaredNorms() {
    double[] out = new double[rows];
    for (int i = 0; i < rows; i++) {
      double s = 0;
      int o = i * dim;
      for (int j = 0; j < dim; j++) {
        double v = data[o + j];
        s += v * v;
      }
      out[i] = s;
    }
    return out;
  }

  /** The rows as a fresh (n, d) array. */
  public double[][] toArray() {
    double[][] out = new double[rows][];
    for (int i = 0; i < rows; i++) {
      out[i] = row(i);
    }
    return out;
  }
}
