package org.spdiff.metrics.linalg;

import java.util.stream.IntStream;

/**
 * Pure-Java products: i-k-j loops (contiguous inner loop), rows in parallel on the common pool.
 * Exact reference and dependency-free fallback; ~1-3 GFLOP/s per core.
 */
public final class JavaMultiplier implements MatrixMultiplier {
  /** The shared instance. */
  public static final JavaMultiplier INSTANCE = new JavaMultiplier();

  private JavaMultiplier() {}

  @Override
  public double[] multiply(double[] a, double[] b, int m, int k, int n) {
    check(a, (long) m * k, "a");
    check(b, (long) k * n, "b");
    double[] c = new double[m * n];
    IntStream.range(0, m)
        .parallel()
        .forEach(
            i -> {
              int ci = i * n;
              for (int p = 0; p < k; p++) {
                double aip = a[i * k + p];
                if (aip == 0) {
                  continue;
                }
                int bp = p * n;
                for (int j = 0; j < n; j++) {
                  c[ci + j] += aip * b[bp + j];
                }
              }
            });
    return c;
  }

  @Override
  public double[] multiplyTransB(double[] a, double[] b, int m, int k, int n) {
    check(a, (long) m * k, "a");
    check(b, (long) n * k, "b");
    double[] c = new double[m * n];
    IntStream.range(0, m)
        .parallel()
        .forEach(
            i -> {
              int ai = i * k;
              for (int j = 0; j < n; j++) {
                int bj = j * k;
                double s = 0;
                for (int p = 0; p < k; p++) {
                  s += a[ai + p] * b[bj + p];
                }
                c[i * n + j] = s;
              }
            });
    return c;
  }

  @Override
  public double[] multiplyTransA(double[] a, double[] b, int k, int m, int n) {
    check(a, (long) k * m, "a");
    check(b, (long) k * n, "b");
    double[] at = new double[m * k];
    for (int p = 0; p < k; p++) {
      for (int i = 0; i < m; i++) {
        at[i * k + p] = a[p * m + i];
      }
    }
    return multiply(at, b, m, k, n);
  }

  @Override
  public String name() {
    return "java";
  }

  static void check(double[] x, long expected, String name) {
    if (x.length != expected) {
      throw new IllegalArgumentException(
          name + " has " + x.length + " elements, expected " + expected);
    }
  }
}
