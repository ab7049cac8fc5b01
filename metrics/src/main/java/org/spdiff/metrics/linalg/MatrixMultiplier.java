package org.spdiff.metrics.linalg;

/** Dense float64 matrix products on row-major flat arrays. Implementations are thread-safe. */
public interface MatrixMultiplier {

  /**
   * {@code C = A B}.
   *
   * @param a (m, k) row-major
   * @param b (k, n) row-major
   * @return (m, n) row-major
   */
  double[] multiply(double[] a, double[] b, int m, int k, int n);

  /**
   * {@code C = A B^T}, e.g. a Gram matrix of feature rows.
   *
   * @param a (m, k) row-major
   * @param b (n, k) row-major
   * @return (m, n) row-major
   */
  double[] multiplyTransB(double[] a, double[] b, int m, int k, int n);

  /**
   * {@code C = A^T B}.
   *
   * @param a (k, m) row-major
   * @param b (k, n) row-major
   * @return (m, n) row-major
   */
  double[] multiplyTransA(double[] a, double[] b, int k, int m, int n);

  /** A short name for reports. */
  String name();
}
