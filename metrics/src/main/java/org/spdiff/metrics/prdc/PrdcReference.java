package org.spdiff.metrics.prdc;

import java.util.Arrays;
import org.spdiff.metrics.linalg.LibtorchMultiplier;
import org.spdiff.metrics.linalg.MatrixMultiplier;
import org.spdiff.metrics.stats.FeatureMatrix;
import org.spdiff.metrics.stats.NumpyRandomState;

/**
 * The real side of precision/recall/density/coverage, computed once and reused for every generated
 * set: the real rows (M, d), their squared norms, and each row's exact squared k-NN radius within
 * the real set for k (precision, Kynkäänniemi et al.) and for dcK (density and coverage, Naeem et
 * al.). Immutable. Building it costs one (M, M, d) Gram product, as much as scoring one generated
 * set of M rows.
 */
public final class PrdcReference {
  /** Kynkäänniemi et al.'s k for precision and recall. */
  public static final int DEFAULT_K = 3;

  /** Naeem et al.'s k for density and coverage. */
  public static final int DEFAULT_DC_K = 5;

  /** Default seed of the study's reference subset ({@link #seededSubset}). */
  public static final long DEFAULT_SUBSET_SEED = 2718;

  private final FeatureMatrix real;
  private final double[] squaredNorms;
  private final double[] radiusK2;
  private final double[] radiusDc2;
  private final int k;
  private final int dcK;
  private final MatrixMultiplier products;

  private PrdcReference(
      FeatureMatrix real,
      double[] squaredNorms,
      double[] radiusK2,
      double[] radiusDc2,
      int k,
      int dcK,
      MatrixMultiplier products) {
    this.real = real;
    this.squaredNorms = squaredNorms;
    this.radiusK2 = radiusK2;
    this.radiusDc2 = radiusDc2;
    this.k = k;
    this.dcK = dcK;
    this.products = products;
  }

  /** k = 3, dcK = 5, libtorch products. */
  public static PrdcReference of(FeatureMatrix real) {
    return of(real, DEFAULT_K, DEFAULT_DC_K, LibtorchMultiplier.INSTANCE);
  }

  /**
   * @param real the real rows (M, d), M > max(k, dcK)
   * @param k neighbours for precision and recall radii, >= 1
   * @param dcK neighbours for density and coverage radii, >= 1
   * @param products the Gram-product engine (also used for the generated sets scored against this)
   */
  public static PrdcReference of(FeatureMatrix real, int k, int dcK, MatrixMultiplier products) {
    if (k < 1 || dcK < 1) {
      throw new IllegalArgumentException("k and dcK must be >= 1, got " + k + ", " + dcK);
    }
    if (real.rows() <= Math.max(k, dcK)) {
      throw new IllegalArgumentException(
          "the real set has "
              + real.rows()
              + " rows: needs more than max(k, dcK) = "
              + Math.max(k, dcK));
    }
    double[] norms = real.squaredNorms();
    double[][] r = NeighbourRadii.of(real, norms, new int[] {k, dcK}, products, null);
    return new PrdcReference(real, norms, r[0], r[1], k, dcK, products);
  }

  /**
   * The seeded reference subset the study scores against: {@code
   * np.sort(np.random.RandomState(seed).choice(n, size, replace=False))}, all n rows when size >=
   * n.
   *
   * @return ascending row indices into a reference of n rows
   */
  public static int[] seededSubset(int n, int size, long seed) {
    if (n < 1 || size < 1) {
      throw new IllegalArgumentException("need n, size >= 1, got " + n + ", " + size);
    }
    if (size >= n) {
      int[] all = new int[n];
      Arrays.setAll(all, i -> i);
      return all;
    }
    int[] idx = new NumpyRandomState(seed).choiceWithoutReplacement(n, size);
    Arrays.sort(idx);
    return idx;
  }

  /** The real rows. */
  public FeatureMatrix real() {
    return real;
  }

  /** k of precision and recall. */
  public int k() {
    return k;
  }

  /** k of density and coverage. */
  public int dcK() {
    return dcK;
  }

  /** Feature dimension. */
  public int dim() {
    return real.dim();
  }

  /** The k-NN distance of every real row (M,), not squared. */
  public double[] radii() {
    return sqrt(radiusK2);
  }

  /** The dcK-NN distance of every real row (M,), not squared. */
  public double[] densityCoverageRadii() {
    return sqrt(radiusDc2);
  }

  /** The product engine. */
  public MatrixMultiplier products() {
    return products;
  }

  double[] squaredNorms() {
    return squaredNorms;
  }

  double[] radiusK2() {
    return radiusK2;
  }

  double[] radiusDc2() {
    return radiusDc2;
  }

  private static double[] sqrt(double[] a) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = Math.sqrt(a[i]);
    }
    return out;
  }
}
