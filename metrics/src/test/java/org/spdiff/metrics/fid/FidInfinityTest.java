package org.spdiff.metrics.fid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.spdiff.metrics.linalg.JavaMultiplier;
import org.spdiff.metrics.stats.FeatureMatrix;
import org.spdiff.metrics.stats.FeatureMoments;
import org.spdiff.metrics.stats.FeatureStats;

/** FID-infinity on Gaussian features whose FID is known in closed form. */
class FidInfinityTest {
  static final int D = 32;
  static final double SCALE = 1.3;
  static final double SHIFT = 0.5;

  /** Reference N(0, I) given by its exact moments. */
  static FrechetReference reference() {
    double[][] eye = new double[D][D];
    for (int i = 0; i < D; i++) {
      eye[i][i] = 1;
    }
    return FrechetReference.of(
        new FeatureMoments(new double[D], eye), new FastEngine(JavaMultiplier.INSTANCE, false));
  }

  /** FID(N(0, I), N(SHIFT e_1, SCALE^2 I)) = SHIFT^2 + D (1 - SCALE)^2. */
  static final double ANALYTIC = SHIFT * SHIFT + D * (1 - SCALE) * (1 - SCALE);

  static FeatureMatrix generated(long seed, int n) {
    Random r = new Random(seed);
    double[][] x = new double[n][D];
    for (double[] row : x) {
      for (int j = 0; j < D; j++) {
        row[j] = SCALE * r.nextGaussian() + (j == 0 ? SHIFT : 0);
      }
    }
    return FeatureMatrix.of(x);
  }

  @Test
  void closerToTheAnalyticFidThanFidAtTheSmallestN() {
    FrechetReference ref = reference();
    for (long seed = 1; seed <= 5; seed++) {
      FeatureMatrix x = generated(seed, 3000);
      FidInfinity f = FidInfinity.compute(ref, x, JavaMultiplier.INSTANCE);
      double smallest = f.fids()[0];
      System.out.printf(
          "seed %d: analytic %.4f, FID_inf %.4f (residual %.4f), FID(%d) %.4f, FID(%d) %.4f%n",
          seed,
          ANALYTIC,
          f.value(),
          f.residual(),
          f.grid()[0],
          smallest,
          x.rows(),
          f.fids()[f.fids().length - 1]);
      assertTrue(
          Math.abs(f.value() - ANALYTIC) < Math.abs(smallest - ANALYTIC),
          "seed "
              + seed
              + ": FID_inf "
              + f.value()
              + ", FID("
              + f.grid()[0]
              + ") "
              + smallest
              + ", analytic "
              + ANALYTIC);
      assertTrue(smallest > ANALYTIC, "FID is biased upwards at small N");
      assertTrue(f.slope() > 0, "bias falls with N");
      assertTrue(f.warnings().isEmpty(), f.warnings().toString());
    }
  }

  @Test
  void gridPointsAreNestedSeededSubsetsEndingWithTheFullSet() {
    FrechetReference ref = reference();
    FeatureMatrix x = generated(9, 500);
    int[] grid = FidInfinity.grid(500, D, 5);
    // Fifths of 500 from the first at or above max(500 / 10, min(2 d, 500 / 2)) = 64.
    assertArrayEquals(new int[] {100, 200, 300, 400, 500}, grid);
    // d = 2048, n = 10,000: tenths from 4096 up.
    assertArrayEquals(
        new int[] {5000, 6000, 7000, 8000, 9000, 10000}, FidInfinity.grid(10_000, 2048, 10));
    // Fewer rows than 2 d: from n / 2 up (the fit then warns that FID-infinity is unreliable).
    assertArrayEquals(new int[] {50, 60, 70, 80, 90, 100}, FidInfinity.grid(100, 2048, 10));
    FidInfinity f = FidInfinity.compute(ref, x, grid, 7, JavaMultiplier.INSTANCE);
    assertArrayEquals(grid, f.grid());
    double full = FrechetDistance.compute(ref, FeatureStats.of(x.toArray())).value();
    assertEquals(full, f.fids()[4], 1e-10 * full);
    // The fit: residuals of value + slope / N around the points have the reported RMS.
    double ss = 0;
    for (int t = 0; t < grid.length; t++) {
      double r = f.fids()[t] - f.value() - f.slope() / grid[t];
      ss += r * r;
    }
    assertEquals(Math.sqrt(ss / grid.length), f.residual(), 1e-12);
    assertEquals(
        f.value(), FidInfinity.compute(ref, x, grid, 7, JavaMultiplier.INSTANCE).value(), 0.0);
    assertTrue(
        f.value() != FidInfinity.compute(ref, x, grid, 8, JavaMultiplier.INSTANCE).value(),
        "the seed picks the subsets");
  }

  @Test
  void warnsBelowTwiceTheDimensionAndRejectsBadGrids() {
    FrechetReference ref = reference();
    FeatureMatrix x = generated(3, 40);
    FidInfinity f = FidInfinity.compute(ref, x, new int[] {10, 20, 40}, 1, JavaMultiplier.INSTANCE);
    assertTrue(
        f.warnings().stream().anyMatch(w -> w.contains("unreliable")), f.warnings().toString());
    assertThrows(
        IllegalArgumentException.class,
        () -> FidInfinity.compute(ref, x, new int[] {10, 41}, 1, JavaMultiplier.INSTANCE));
    assertThrows(
        IllegalArgumentException.class,
        () -> FidInfinity.compute(ref, x, new int[] {10, 10}, 1, JavaMultiplier.INSTANCE));
  }
}
