package org.spdiff.metrics.fid;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_MT_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.spdiff.metrics.linalg.LibtorchMultiplier;
import org.spdiff.metrics.linalg.MatrixMultiplier;

/**
 * The symmetric route with EJML decompositions and pluggable products (libtorch by default): EJML
 * Cholesky for the factor (symmetric eigen with vectors when singular), EJML symmetric
 * eigenvalues-only (tridiagonalisation + implicit QR, no eigenvectors) for {@code F^T S2 F}; the
 * two (d, d) products go to a {@link MatrixMultiplier}. Concurrent EJML decompositions are used
 * when {@code concurrent} is set.
 */
public final class FastEngine implements FrechetEngine {
  private final MatrixMultiplier products;
  private final boolean concurrent;

  /**
   * libtorch products, single-threaded EJML decompositions: on a shared 2-core machine the
   * concurrent EJML eigen solver was slower (10.6 s vs 8.8 s per score at d = 2048), and a Beam
   * worker already runs several threads.
   */
  public FastEngine() {
    this(LibtorchMultiplier.INSTANCE, false);
  }

  /**
   * @param products the engine for the two (d, d) products per score
   * @param concurrent use EJML's multi-threaded (ForkJoin common pool) decompositions
   */
  public FastEngine(MatrixMultiplier products, boolean concurrent) {
    this.products = products;
    this.concurrent = concurrent;
  }

  @Override
  public String name() {
    return "ejml" + (concurrent ? "-mt" : "") + "+" + products.name();
  }

  @Override
  public SymmetricFactor factor(double[] s, int d) {
    CholeskyDecomposition_F64<DMatrixRMaj> chol =
        concurrent
            ? DecompositionFactory_MT_DDRM.chol(d, true)
            : DecompositionFactory_DDRM.chol(d, true);
    DMatrixRMaj m = DMatrixRMaj.wrap(d, d, s.clone());
    if (chol.decompose(m)) {
      DMatrixRMaj l = chol.getT(null);
      double[] f = l.getData();
      boolean ok = true;
      double minPivot = Double.POSITIVE_INFINITY;
      double maxPivot = 0;
      for (int i = 0; i < d; i++) {
        double p = f[i * d + i];
        ok &= Double.isFinite(p) && p > 0;
        minPivot = Math.min(minPivot, p);
        maxPivot = Math.max(maxPivot, p);
      }
      // A pivot ratio near machine precision means S is numerically singular: use the eigen route.
      if (ok && minPivot > maxPivot * 1e-7) {
        return new SymmetricFactor(f.clone(), d, true, List.of());
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> eig =
        concurrent
            ? DecompositionFactory_MT_DDRM.eig(d, true, true)
            : DecompositionFactory_DDRM.eig(d, true, true);
    if (!eig.decompose(DMatrixRMaj.wrap(d, d, s.clone()))) {
      throw new IllegalStateException("symmetric eigendecomposition of the reference failed");
    }
    double[] f = new double[d * d];
    double maxEv = 0;
    for (int j = 0; j < d; j++) {
      maxEv = Math.max(maxEv, eig.getEigenvalue(j).real);
    }
    int rank = 0;
    for (int j = 0; j < d; j++) {
      double ev = eig.getEigenvalue(j).real;
      if (ev > maxEv * d * 1e-15) {
        rank++;
      }
      double r = Math.sqrt(Math.max(ev, 0));
      DMatrixRMaj v = eig.getEigenVector(j);
      for (int i = 0; i < d; i++) {
        f[i * d + j] = v.get(i) * r;
      }
    }
    List<String> w = new ArrayList<>();
    w.add(FrechetDistance.singularWarning("reference", rank, d));
    return new SymmetricFactor(f, d, false, w);
  }

  @Override
  public double[] congruenceEigenvalues(double[] f, double[] s2, int d) {
    double[] t = products.multiply(s2, f, d, d, d);
    double[] c = products.multiplyTransA(f, t, d, d, d);
    for (int i = 0; i < d; i++) {
      for (int j = i + 1; j < d; j++) {
        double v = 0.5 * (c[i * d + j] + c[j * d + i]);
        c[i * d + j] = v;
        c[j * d + i] = v;
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> eig =
        concurrent
            ? DecompositionFactory_MT_DDRM.eig(d, false, true)
            : DecompositionFactory_DDRM.eig(d, false, true);
    if (!eig.decompose(DMatrixRMaj.wrap(d, d, c))) {
      throw new IllegalStateException("symmetric eigenvalue decomposition failed");
    }
    double[] ev = new double[d];
    for (int i = 0; i < d; i++) {
      ev[i] = eig.getEigenvalue(i).real;
    }
    return ev;
  }
}
