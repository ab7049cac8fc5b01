package org.spdiff.metrics.linalg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Float64 products through DJL's default engine (libtorch on CPU: a tuned BLAS). Each call opens
 * and closes its own {@link NDManager}, so no native memory outlives the call. The engine starts on
 * first use (about 1 s warm).
 */
public final class LibtorchMultiplier implements MatrixMultiplier {
  /** The shared instance. */
  public static final LibtorchMultiplier INSTANCE = new LibtorchMultiplier();

  private LibtorchMultiplier() {}

  @Override
  public double[] multiply(double[] a, double[] b, int m, int k, int n) {
    return run(a, b, m, k, k, n, false, false);
  }

  @Override
  public double[] multiplyTransB(double[] a, double[] b, int m, int k, int n) {
    return run(a, b, m, k, n, k, false, true);
  }

  @Override
  public double[] multiplyTransA(double[] a, double[] b, int k, int m, int n) {
    return run(a, b, k, m, k, n, true, false);
  }

  private static double[] run(
      double[] a, double[] b, int ar, int ac, int br, int bc, boolean ta, boolean tb) {
    JavaMultiplier.check(a, (long) ar * ac, "a");
    JavaMultiplier.check(b, (long) br * bc, "b");
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.create(a, new Shape(ar, ac));
      NDArray y = manager.create(b, new Shape(br, bc));
      if (ta) {
        x = x.transpose();
      }
      if (tb) {
        y = y.transpose();
      }
      return x.matMul(y).toDoubleArray();
    }
  }

  @Override
  public String name() {
    return "libtorch";
  }
}
