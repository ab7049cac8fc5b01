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
 * the rows in all), so the cost is about one Fréchet distance per grid point. The study computes
 * the same estimate from its jackknife fold statistics (same seed, same subsets).
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

  /** Default grid: tenths of the rows ({@link #grid}). */
  public static final int DEFAULT_PARTS = 10;

  /**
   * Default subset seed: the jackknife's fold seed, so that {@code spdiff fid --infinity} and the
   * study fit the same subsets.
   */
  public static final long DEFAULT_SEED = 1009;

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
   * The grid: the prefix sizes {@code floor(m n / parts)} for m = m0..parts, m0 the smallest with a
   * prefix of at least {@link #smallestPoint} rows (at most parts - 1, so there are at least 2
   * points). With the seed of a {@code PairedFolds} of {@code parts} folds, prefix m is exactly the
   * union of folds 0..m-1. The paper took 15 evenly spaced counts from N/10 to N; here each point
   * costs one Fréchet distance, so the default is coarser: at n = 10,000, d = 2048, the counts
   * 5000, 6000, ..., 10,000.
   *
   * @param n rows available, >= 2 parts
   * @param d feature dimension
   * @param parts 2..n / 2
   */
  public static int[] grid(int n, int d, int parts) {
    if (parts < 2 || n < 2 * parts) {
      throw new IllegalArgumentException(
          "FID-infinity needs >= 2 parts and >= 2 rows per part, got " + parts + " parts of " + n);
    }
    int min = smallestPoint(n, d);
    int first = parts - 1;
    while (first > 1 && (int) ((long) (first - 1) * n / parts) >= min) {
      first--;
    }
    int[] g = new int[parts - first + 1];
    for (int m = first; m <= parts; m++) {
      g[m - first] = (int) ((long) m * n / parts);
    }
    return g;
  }

  /** {@code max(n / 10, min(2 d, n / 2))}, at least 2: the default smallest grid point. */
  public static int smallestPoint(int n, int d) {
    return Math.max(2, Math.max(n / 10, Math.min(2 * d, n / 2)));
  }

  /** The {@link #grid} of {@link #DEFAULT_PARTS} parts, seed {@link #DEFAULT_SEED}. */
  public static FidInfinity compute(
      FrechetReference reference, FeatureMatrix features, MatrixMultiplier products) {
    return compute(
        reference,
        features,
        grid(features.rows(), features.dim(), DEFAULT_PARTS),
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
