package org.spdiff.metrics.fid;

/**
 * The two dense linear-algebra steps of the symmetric route for {@code Tr(sqrtm(S1 S2))}. Matrices
 * are symmetric, (d, d), row-major flat float64 arrays.
 */
public interface FrechetEngine {

  /** A short name recorded with every score. */
  String name();

  /**
   * Factor {@code S = F F^T}: Cholesky when S is positive definite, else a symmetric factor from an
   * eigen/SVD decomposition (with a warning that S is singular).
   */
  SymmetricFactor factor(double[] s, int d);

  /** The d eigenvalues (any order, possibly tiny negatives) of the symmetric {@code F^T S2 F}. */
  double[] congruenceEigenvalues(double[] f, double[] s2, int d);
}
