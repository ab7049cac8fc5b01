package org.spdiff.metrics.fid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import org.spdiff.metrics.linalg.MatrixMultiplier;
import org.spdiff.metrics.stats.FeatureMatrix;
import org.spdiff.metrics.stats.FeatureStats;
import org.spdiff.metrics.stats.NumpyRandomState;

/**
 * FID-infinity (Chong and Forsyth 2020, "Effectively Unbiased FID and Inception Score and where to
 * find them"): FID is biased upwards by a term roughly linear in 1/N, so FID is computed at a grid
 * of sample counts N_1 < ... < N_p, a least-squares line {@code FID(N) = value + slope / N} is
 * fitted, and its intercept (N to infinity) is the estimate.
 *
 * <p>Subsets: one seeded permutation {@code np.random.RandomState(seed).permutation(n)}; the subset
 * of size N_t is its first N_t rows (nested, so neighbouring points share samples and the fit is
 * smoother; Chong and Forsyth's code reshuffles for each N). The largest grid point may be n: the
 * FID of all rows. Statistics of the subsets are built chunk by chunk from products (one pass over
 * the rows in all), so the cost is about one Fréchet distance per grid point.
 *
 * @param value the intercept, FID at N = infinity
 * @param slope the fitted coefficient of 1/N
 * @param residual root mean square of the fit's residuals (FID units): how far the points are from
 *     a line
 * @param grid the sample counts N_t, ascending
 * @param fids FID at each grid point
 * @param seed the subset permutation seed
 * @param warnings why the value may be unreliable (e.g. grid points with fewer samples than dims)
 */
public record FidInfinity(
    double value,
    double slope,
    double residual,
    int[] grid,
    double[] fids,
    long seed,
    List<String> warnings)
    implements java.io.Serializable {

  /** Default number of grid points (the paper used 15; each point costs one Fréchet distance). */
  public static final int DEFAULT_POINTS = 8;

  /** Default subset seed. */
  public static final long DEFAULT_SEED = 2020;

  /** Copies the arrays and warnings. */
  public FidInfinity {
    grid = grid.clone();
    fids = fids.clone();
    warnings = List.copyOf(warnings);
  }

  @Override
  public int[] grid() {
    return grid.clone();
  }

  @Override
  public double[] fids() {
    return fids.clone();
  }

  /**
   * The default grid: {@code points} counts evenly spaced from N_min to n (as the paper's {@code
   * np.linspace(min, n, points).astype(int)}), with {@code N_min = max(n / 10, min(2 d, n / 2))}:
   * the paper's 1/10 of the set, but at least twice the dimension where n allows it, since below
   * that the covariance is (nearly) singular and the 1/N law fails.
   *
   * @param n rows available, >= 4
   * @param d feature dimension
   * @param points >= 2
   */
  public static int[] defaultGrid(int n, int d, int points) {
    if (points < 2) {
      throw new IllegalArgumentException("FID-infinity needs >= 2 grid points, got " + points);
    }
    if (n < 4) {
      throw new IllegalArgumentException("FID-infinity needs >= 4 rows, got " + n);
    }
    int min = smallestPoint(n, d);
    int[] g = new int[points];
    for (int t = 0; t < points; t++) {
      g[t] = (int) (min + (double) (n - min) * t / (points - 1));
    }
    return Arrays.stream(g).distinct().toArray();
  }

  /** {@code max(n / 10, min(2 d, n / 2))}, at least 2: the default smallest grid point. */
  public static int smallestPoint(int n, int d) {
    return Math.max(2, Math.max(n / 10, Math.min(2 * d, n / 2)));
  }

  /** {@link #DEFAULT_POINTS} points of {@link #defaultGrid}, seed {@link #DEFAULT_SEED}. */
  public static FidInfinity compute(
      FrechetReference reference, FeatureMatrix features, MatrixMultiplier products) {
    return compute(
        reference,
        features,
        defaultGrid(features.rows(), features.dim(), DEFAULT_POINTS),
        DEFAULT_SEED,
        products);
  }

  /**
   * @param reference the cached reference side
   * @param features generated rows (n, d)
   * @param grid at least 2 distinct sample counts in [2, n] (sorted here)
   * @param seed the subset permutation seed, in [0, 2^32)
   * @param products engine for the subset co-moments
   */
  public static FidInfinity compute(
      FrechetReference reference,
      FeatureMatrix features,
      int[] grid,
      long seed,
      MatrixMultiplier products) {
    int n = features.rows();
    int[] g = Arrays.stream(grid).distinct().sorted().toArray();
    if (g.length < 2) {
      throw new IllegalArgumentException("FID-infinity needs >= 2 distinct grid points");
    }
    if (g[0] < 2 || g[g.length - 1] > n) {
      throw new IllegalArgumentException(
          "grid points must lie in [2, " + n + "], got " + Arrays.toString(g));
    }
    if (features.dim() != reference.dim()) {
      throw new IllegalArgumentException(
          "dimension mismatch: reference has "
              + reference.dim()
              + " dims, generated has "
              + features.dim());
    }
    int[] perm = new NumpyRandomState(seed).permutation(n);
    FeatureStats prefix = new FeatureStats(features.dim());
    double[] fids = new double[g.length];
    LinkedHashSet<String> warnings = new LinkedHashSet<>();
    int done = 0;
    for (int t = 0; t < g.length; t++) {
      prefix.merge(FeatureStats.of(features, Arrays.copyOfRange(perm, done, g[t]), products));
      done = g[t];
      FidResult r = FrechetDistance.compute(reference, prefix);
      fids[t] = r.value();
      warnings.addAll(r.warnings());
    }
    return fit(g, fids, seed, features.dim(), new ArrayList<>(warnings));
  }

  /**
   * The least-squares line {@code FID(N) = value + slope / N} through given points (for callers
   * that already have the FIDs of nested seeded subsets, e.g. from jackknife fold statistics).
   *
   * @param grid ascending distinct sample counts, at least 2
   * @param fids FID at each count
   * @param seed the seed that chose the subsets (recorded)
   * @param dim feature dimension (for the small-N warning)
   * @param warnings warnings of the FIDs, copied into the result
   */
  public static FidInfinity fit(
      int[] grid, double[] fids, long seed, int dim, List<String> warnings) {
    int p = grid.length;
    if (p < 2 || fids.length != p) {
      throw new IllegalArgumentException(
          "need >= 2 grid points with one FID each, got " + p + " and " + fids.length);
    }
    for (int t = 1; t < p; t++) {
      if (grid[t] <= grid[t - 1]) {
        throw new IllegalArgumentException("grid must ascend: " + Arrays.toString(grid));
      }
    }
    int[] g = grid;
    // Least squares y = a + b x with x = 1 / N.
    double mx = 0;
    double my = 0;
    for (int t = 0; t < p; t++) {
      mx += 1.0 / g[t];
      my += fids[t];
    }
    mx /= p;
    my /= p;
    double sxx = 0;
    double sxy = 0;
    for (int t = 0; t < p; t++) {
      double dx = 1.0 / g[t] - mx;
      sxx += dx * dx;
      sxy += dx * (fids[t] - my);
    }
    double slope = sxy / sxx;
    double value = my - slope * mx;
    double ss = 0;
    for (int t = 0; t < p; t++) {
      double r = fids[t] - (value + slope / g[t]);
      ss += r * r;
    }
    List<String> w = new ArrayList<>(warnings);
    if (g[0] <= 2 * dim) {
      w.add(
          "the smallest grid point has "
              + g[0]
              + " samples for "
              + dim
              + " dims: FID is far from linear in 1/N there, so FID-infinity is unreliable");
    }
    return new FidInfinity(value, slope, Math.sqrt(ss / p), g, fids, seed, w);
  }
}
