package org.spdiff.metrics.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.spdiff.metrics.Fixtures;
import org.spdiff.metrics.linalg.JavaMultiplier;
import org.spdiff.metrics.linalg.LibtorchMultiplier;

class KernelInceptionDistanceTest {

  @Test
  void matchesTorchFidelityFormula() {
    Fixtures f = Fixtures.load("kid_fixture.npz");
    for (var products :
        new org.spdiff.metrics.linalg.MatrixMultiplier[] {
          JavaMultiplier.INSTANCE, LibtorchMultiplier.INSTANCE
        }) {
      SplitScore s =
          KernelInceptionDistance.compute(f.matrix("f1"), f.matrix("f2"), 10, 50, 2020, products);
      assertArrayEquals(f.vector("mmds"), s.values(), 1e-10);
      assertEquals(f.scalar("kid_mean"), s.mean(), 1e-10);
      assertEquals(f.scalar("kid_std"), s.std(), 1e-10);
      assertTrue(s.warnings().isEmpty());
    }
  }

  @Test
  void sameDistributionIsNearZeroAndShiftIsPositive() {
    double[][] a = FeatureStatsTest.randomRows(1, 400, 8, 0);
    double[][] b = FeatureStatsTest.randomRows(2, 400, 8, 0);
    double[][] c = FeatureStatsTest.randomRows(3, 400, 8, 2);
    SplitScore same = KernelInceptionDistance.compute(a, b, 5, 200, 1, JavaMultiplier.INSTANCE);
    SplitScore shifted = KernelInceptionDistance.compute(a, c, 5, 200, 1, JavaMultiplier.INSTANCE);
    assertTrue(Math.abs(same.mean()) < 0.1 * shifted.mean(), same.mean() + " vs " + shifted.mean());
  }

  @Test
  void clipsSubsetSizeWithWarningAndRejectsBadDims() {
    double[][] a = FeatureStatsTest.randomRows(1, 30, 4, 0);
    double[][] b = FeatureStatsTest.randomRows(2, 40, 4, 0);
    SplitScore s = KernelInceptionDistance.compute(a, b, 3, 1000, 5, JavaMultiplier.INSTANCE);
    assertEquals(1, s.warnings().size());
    assertTrue(s.warnings().get(0).contains("clipped to 30"), s.warnings().get(0));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                KernelInceptionDistance.compute(
                    a,
                    FeatureStatsTest.randomRows(2, 40, 5, 0),
                    3,
                    10,
                    5,
                    JavaMultiplier.INSTANCE));
    assertTrue(e.getMessage().contains("4") && e.getMessage().contains("5"), e.getMessage());
  }
}
