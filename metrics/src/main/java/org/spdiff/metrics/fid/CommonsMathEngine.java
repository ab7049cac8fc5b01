package org.spdiff.metrics.fid;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * The symmetric route on Commons Math 3.6.1: {@link CholeskyDecomposition} for the factor (SVD when
 * the matrix is singular, since Commons Math's symmetric eigen solver does not converge on
 * rank-deficient covariances), {@link EigenDecomposition} for the eigenvalues of {@code F^T S2 F}
 * (SVD if it fails to converge: for a symmetric PSD matrix the singular values are the
 * eigenvalues). Exact but slow: it always computes eigenvectors (~70 s per decomposition at d =
 * 2048 on 2 cores). The cross-check engine.
 */
public final class CommonsMathEngine implements FrechetEngine {

  @Override
  public String name() {
    return "commons-math3";
  }

  @Override
  public SymmetricFactor factor(double[] s, int d) {
    RealMatrix m = toMatrix(s, d);
    try {
      RealMatrix l = new CholeskyDecomposition(m, 1e-12, 0.0).getL();
      double[] f = flat(l, d);
      double minPivot = Double.POSITIVE_INFINITY;
      double maxPivot = 0;
      for (int i = 0; i < d; i++) {
        double p = f[i * d + i];
        if (!Double.isFinite(p)) {
          throw new NonPositiveDefiniteMatrixException(p, i, 0.0);
        }
        minPivot = Math.min(minPivot, p);
        maxPivot = Math.max(maxPivot, p);
      }
      // A pivot ratio near machine precision means S is numerically singular: use the SVD route.
      if (!(minPivot > maxPivot * 1e-7)) {
        throw new NonPositiveDefiniteMatrixException(minPivot, 0, 0.0);
      }
      return new SymmetricFactor(f, d, true, List.of());
    } catch (NonPositiveDefiniteMatrixException e) {
      SingularValueDecomposition svd = new SingularValueDecomposition(m);
      RealMatrix u = svd.getU();
      double[] sv = svd.getSingularValues();
      double[] f = new double[d * d];
      int rank = 0;
      double tol = sv[0] * d * 1e-15;
      for (int j = 0; j < d; j++) {
        if (sv[j] > tol) {
          rank++;
        }
        double r = Math.sqrt(Math.max(sv[j], 0));
        for (int i = 0; i < d; i++) {
          f[i * d + j] = u.getEntry(i, j) * r;
        }
      }
      List<String> w = new ArrayList<>();
      w.add(FrechetDistance.singularWarning("reference", rank, d));
      return new SymmetricFactor(f, d, false, w);
    }
  }

  @Override
  public double[] congruenceEigenvalues(double[] f, double[] s2, int d) {
    RealMatrix fm = toMatrix(f, d);
    RealMatrix t = fm.transpose().multiply(toMatrix(s2, d)).multiply(fm);
    RealMatrix sym = t.add(t.transpose()).scalarMultiply(0.5);
    try {
      return new EigenDecomposition(sym).getRealEigenvalues();
    } catch (MathIllegalStateException e) {
      return new SingularValueDecomposition(sym).getSingularValues();
    }
  }

  private static RealMatrix toMatrix(double[] a, int d) {
    double[][] rows = new double[d][d];
    for (int i = 0; i < d; i++) {
      System.arraycopy(a, i * d, rows[i], 0, d);
    }
    return new Array2DRowRealMatrix(rows, false);
  }

  private static double[] flat(RealMatrix m, int d) {
    double[] f = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        f[i * d + j] = m.getEntry(i, j);
      }
    }
    return f;
  }
}
