package org.spdiff.metrics.fid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.spdiff.metrics.Fixtures;
import org.spdiff.metrics.linalg.JavaMultiplier;
import org.spdiff.metrics.stats.FeatureMoments;
import org.spdiff.metrics.stats.FeatureStats;

class FrechetDistanceTest {

  static List<FrechetEngine> engines() {
    return List.of(
        new CommonsMathEngine(), new FastEngine(), new FastEngine(JavaMultiplier.INSTANCE, true));
  }

  static double[][] rows(long seed, int n, int d, double shift) {
    Random r = new Random(seed);
    double[][] mix = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        mix[i][j] = (i == j ? 1 : 0) + 0.3 * r.nextGaussian() / Math.sqrt(d);
      }
    }
    double[][] x = new double[n][d];
    for (int s = 0; s < n; s++) {
      double[] z = new double[d];
      for (int j = 0; j < d; j++) {
        z[j] = r.nextGaussian();
      }
      for (int i = 0; i < d; i++) {
        double v = shift;
        for (int j = 0; j < d; j++) {
          v += mix[i][j] * z[j];
        }
        x[s][i] = v;
      }
    }
    return x;
  }

  @ParameterizedTest
  @MethodSource("engines")
  void matchesScipySqrtmFormulaOfPytorchFid(FrechetEngine engine) {
    Fixtures f = Fixtures.load("fid_fixture.npz");
    FeatureMoments a = new FeatureMoments(f.vector("mu1"), f.matrix("sigma1"));
    FeatureMoments b = new FeatureMoments(f.vector("mu2"), f.matrix("sigma2"));
    FidResult r = FrechetDistance.compute(a, b, engine);
    double expected = f.scalar("fid");
    assertEquals(expected, r.value(), 1e-9 * expected); // brief: 1e-6; measured < 1e-10
    assertTrue(r.reliable(), r.warnings().toString());
    assertEquals(engine.name(), r.engine());
  }

  @ParameterizedTest
  @MethodSource("engines")
  void equalCovariancesGiveSquaredMeanDistance(FrechetEngine engine) {
    FeatureStats s = FeatureStats.of(rows(1, 200, 12, 0));
    double[] mu2 = s.mu();
    double expected = 0;
    for (int i = 0; i < mu2.length; i++) {
      double shift = 0.1 * (i - 5);
      mu2[i] += shift;
      expected += shift * shift;
    }
    FrechetReference ref = FrechetReference.of(s, engine);
    FidResult r = FrechetDistance.compute(ref, new FeatureMoments(mu2, s.sigma()));
    assertEquals(expected, r.value(), 1e-9);
    FidResult same = FrechetDistance.compute(ref, s);
    assertEquals(0.0, same.value(), 1e-9);
    assertTrue(same.reliable());
  }

  @ParameterizedTest
  @MethodSource("engines")
  void identicalStatisticsGiveExactlyZero(FrechetEngine engine) {
    for (int seed = 1; seed <= 20; seed++) {
      FeatureStats s = FeatureStats.of(rows(seed, 60 + seed, 3 + seed % 17, 0.1 * seed));
      FidResult same = FrechetDistance.compute(FrechetReference.of(s, engine), s);
      assertEquals(0.0, same.value(), 0.0, "seed " + seed);
      assertTrue(Double.doubleToRawLongBits(same.value()) == 0L, "+0.0, not -0.0, seed " + seed);
    }
  }

  @ParameterizedTest
  @MethodSource("engines")
  void rankDeficientIsFiniteWithWarning(FrechetEngine engine) {
    FeatureStats few = FeatureStats.of(rows(2, 6, 16, 0));
    FeatureStats many = FeatureStats.of(rows(3, 300, 16, 0.5));
    // singular reference
    FidResult r1 = FrechetDistance.compute(FrechetReference.of(few, engine), many);
    assertTrue(Double.isFinite(r1.value()) && r1.value() > 0);
    assertFalse(r1.warnings().isEmpty());
    assertTrue(r1.warnings().get(0).contains("6 samples in 16 dims"), r1.warnings().toString());
    // singular generated set
    FidResult r2 = FrechetDistance.compute(FrechetReference.of(many, engine), few);
    assertTrue(Double.isFinite(r2.value()));
    assertFalse(r2.warnings().isEmpty());
    // singular moments without a count: detected from the factor
    FidResult r3 = FrechetDistance.compute(few.moments(), many.moments(), engine);
    assertTrue(Double.isFinite(r3.value()));
    assertTrue(r3.warnings().get(0).contains("singular"), r3.warnings().toString());
    // the singular route agrees with the full-rank route on the same pair, swapped roles
    assertEquals(
        r3.value(),
        FrechetDistance.compute(many.moments(), few.moments(), engine).value(),
        1e-7 * r3.value());
  }

  @ParameterizedTest
  @MethodSource("engines")
  void enginesAgreeWithEachOther(FrechetEngine engine) {
    FeatureMoments a = FeatureStats.of(rows(4, 100, 24, 0)).moments();
    FeatureMoments b = FeatureStats.of(rows(5, 90, 24, 0.2)).moments();
    double reference = FrechetDistance.compute(a, b, new CommonsMathEngine()).value();
    assertEquals(reference, FrechetDistance.compute(a, b, engine).value(), 1e-9 * reference);
  }

  @org.junit.jupiter.api.Test
  void rejectsBadInput() {
    FeatureStats s = FeatureStats.of(rows(1, 50, 4, 0));
    FrechetReference ref = FrechetReference.of(s, new CommonsMathEngine());
    FeatureMoments five = FeatureStats.of(rows(1, 50, 5, 0)).moments();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.compute(ref, five));
    assertTrue(e.getMessage().contains("4 dims") && e.getMessage().contains("5 dims"));
    double[][] sigma = s.sigma();
    sigma[1][2] = Double.POSITIVE_INFINITY;
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FrechetDistance.compute(ref, new FeatureMoments(s.mu(), sigma)));
    assertTrue(e.getMessage().contains("generated sigma"), e.getMessage());
    double[] mu = s.mu();
    mu[0] = Double.NaN;
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FrechetReference.of(new FeatureMoments(mu, s.sigma()), new CommonsMathEngine()));
    assertTrue(e.getMessage().contains("reference mu"), e.getMessage());
  }
}
