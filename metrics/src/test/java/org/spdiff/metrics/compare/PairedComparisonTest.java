package org.spdiff.metrics.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.spdiff.metrics.fid.FastEngine;
import org.spdiff.metrics.fid.FrechetDistance;
import org.spdiff.metrics.fid.FrechetReference;
import org.spdiff.metrics.linalg.JavaMultiplier;
import org.spdiff.metrics.stats.FeatureMatrix;
import org.spdiff.metrics.stats.FeatureMoments;
import org.spdiff.metrics.stats.FeatureStats;

/**
 * Interval coverage of the paired jackknife on simulated paired Gaussian features (d = 4, N = 300,
 * G = 10 folds) whose expected dFID at that N is known by simulation.
 */
class PairedComparisonTest {
  static final int D = 4;
  static final int N = 300;
  static final FrechetReference REFERENCE = standardNormalReference();

  static FrechetReference standardNormalReference() {
    double[][] eye = new double[D][D];
    for (int i = 0; i < D; i++) {
      eye[i][i] = 1;
    }
    return FrechetReference.of(
        new FeatureMoments(new double[D], eye), new FastEngine(JavaMultiplier.INSTANCE, false));
  }

  static final double[] MU_A = {0.3, 0, 0, 0};
  static final double[][] L_A = {
    {1.2, 0, 0, 0}, {0.2, 1.0, 0, 0}, {0, 0, 0.9, 0}, {0, 0, 0.1, 1.0}
  };
  static final double[] MU_B = {0.2, 0.1, 0, 0};
  static final double[][] L_B = {{1.1, 0, 0, 0}, {0, 1.0, 0, 0}, {0.1, 0, 1.0, 0}, {0, 0, 0, 0.8}};

  /**
   * One paired draw: row i of both arms uses the same z_i (common random numbers); arm B adds its
   * own small independent noise, and each arm's mean is shifted by its training-seed effect.
   */
  static double[][][] draw(Random r, double[] shiftA, double[] shiftB) {
    double[][] a = new double[N][D];
    double[][] b = new double[N][D];
    for (int i = 0; i < N; i++) {
      double[] z = new double[D];
      for (int t = 0; t < D; t++) {
        z[t] = r.nextGaussian();
      }
      for (int p = 0; p < D; p++) {
        double va = MU_A[p] + shiftA[p];
        double vb = MU_B[p] + shiftB[p] + 0.3 * r.nextGaussian();
        for (int t = 0; t < D; t++) {
          va += L_A[p][t] * z[t];
          vb += L_B[p][t] * z[t];
        }
        a[i][p] = va;
        b[i][p] = vb;
      }
    }
    return new double[][][] {a, b};
  }

  static double fid(double[][] x) {
    return FrechetDistance.compute(REFERENCE, FeatureStats.of(x)).value();
  }

  static double[] seedEffect(Random r, double sd) {
    double[] s = new double[D];
    for (int t = 0; t < D; t++) {
      s[t] = sd * r.nextGaussian();
    }
    return s;
  }

  /** E[FID(B_N) - FID(A_N)] by simulation, with training-seed effects of the given sd. */
  static double[] expectedDifference(double seedSd, int draws) {
    Random r = new Random(12345);
    double sum = 0;
    double sq = 0;
    for (int m = 0; m < draws; m++) {
      double[][][] ab = draw(r, seedEffect(r, seedSd), seedEffect(r, seedSd));
      double v = fid(ab[1]) - fid(ab[0]);
      sum += v;
      sq += v * v;
    }
    double mean = sum / draws;
    double se = Math.sqrt((sq / draws - mean * mean) / draws);
    return new double[] {mean, se};
  }

  static JackknifeProfile profile(double[][] x, PairedFolds folds) {
    return FidJackknife.profile(REFERENCE, FeatureMatrix.of(x), folds, JavaMultiplier.INSTANCE)
        .profile();
  }

  /** Fraction of seeded trials whose 95% interval covers the expected difference. */
  static double coverage(int trials, int replicates, double seedSd, double truth) {
    PairedFolds folds = PairedFolds.of(N, PairedFolds.DEFAULT_GROUPS, PairedFolds.DEFAULT_SEED);
    int covered = 0;
    for (int trial = 0; trial < trials; trial++) {
      Random r = new Random(1000 + trial);
      List<JackknifeProfile> a = new ArrayList<>();
      List<JackknifeProfile> b = new ArrayList<>();
      long noiseSeed = r.nextLong();
      for (int k = 0; k < replicates; k++) {
        double[] sa = seedEffect(r, seedSd);
        double[] sb = seedEffect(r, seedSd);
        // The same sample noise in every replicate (same seed for z), different trained models.
        double[][][] ab = draw(new Random(noiseSeed), sa, sb);
        a.add(profile(ab[0], folds));
        b.add(profile(ab[1], folds));
      }
      Difference d = PairedComparison.difference(a, b);
      if (d.lower() <= truth && truth <= d.upper()) {
        covered++;
      }
    }
    return (double) covered / trials;
  }

  @Test
  void ninetyFivePercentIntervalCoversTheExpectedDifferenceWithOneReplicate() {
    double[] truth = expectedDifference(0, 4000);
    int trials = 400;
    double rate = coverage(trials, 1, 0, truth[0]);
    System.out.printf(
        Locale.ROOT,
        "coverage K=1: %.4f of %d trials (expected dFID at N=%d: %.5f +- %.5f)%n",
        rate,
        trials,
        N,
        truth[0],
        truth[1]);
    assertTrue(rate >= 0.90 && rate <= 0.99, "coverage " + rate);
  }

  @Test
  void replicateIntervalCoversTheExpectationOverTrainingSeeds() {
    double seedSd = 0.08;
    double[] truth = expectedDifference(seedSd, 4000);
    int trials = 200;
    double rate = coverage(trials, 3, seedSd, truth[0]);
    System.out.printf(
        Locale.ROOT,
        "coverage K=3 with seed effects: %.4f of %d trials (expected dFID %.5f +- %.5f)%n",
        rate,
        trials,
        truth[0],
        truth[1]);
    assertTrue(rate >= 0.90, "coverage " + rate);
  }

  static JackknifeProfile constant(Metric m, double full, double[] deleted) {
    return new JackknifeProfile(m, full, deleted, 100, deleted.length, 1);
  }

  @Test
  void replicateVarianceAndDegreesOfFreedomFollowTheFormulas() {
    double[] zeros = {0, 0, 0, 0, 0};
    // Arm A constant; arm B's replicates differ by 1, 2, 3 with jackknife spread in one fold only.
    List<JackknifeProfile> a = new ArrayList<>();
    List<JackknifeProfile> b = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      a.add(constant(Metric.FID, 10, new double[] {10, 10, 10, 10, 10}));
      double v = 11 + r;
      b.add(constant(Metric.FID, v, new double[] {v + 0.5, v, v, v, v}));
    }
    Difference d = PairedComparison.difference(a, b);
    assertEquals(2.0, d.estimate(), 1e-12);
    // theta_(g) = 2.5, 2, 2, 2, 2: mean 2.1; V_s = 4/5 * (0.16 + 4 * 0.01) = 0.16.
    assertEquals(0.16, d.samplingVariance(), 1e-12);
    // s^2 of (1, 2, 3) = 1, / K = 1/3.
    assertEquals(1.0 / 3, d.replicateVariance(), 1e-12);
    double v = 0.16 + 1.0 / 3;
    double df = v * v / (0.16 * 0.16 / 4 + (1.0 / 9) / 2);
    assertEquals(df, d.degreesOfFreedom(), 1e-12);
    assertEquals(Math.sqrt(v), d.standardError(), 1e-12);
    assertFalse(d.samplingNoiseOnly());
    assertTrue(d.note().contains("3 replicate pairs"), d.note());
    assertEquals(3, d.perReplicate().length);

    Difference one = PairedComparison.difference(a.subList(0, 1), b.subList(0, 1));
    assertTrue(one.samplingNoiseOnly());
    assertEquals(4, one.degreesOfFreedom());
    assertEquals(0, one.replicateVariance());
    assertTrue(one.note().contains("only sampling noise"), one.note());
    // t_{4, 0.975} = 2.7764451: interval = 1 +- 2.776 * sqrt(V_s).
    assertEquals(1 + 2.7764451051977987 * Math.sqrt(0.16), one.upper(), 1e-9);

    Difference same = PairedComparison.difference(a, a);
    assertEquals(0, same.estimate());
    assertEquals(0, same.lower());
    assertEquals(0, same.upper());
    assertEquals(1.0, same.pValue());
  }

  @Test
  void unpairedProfilesAreRejected() {
    JackknifeProfile p = new JackknifeProfile(Metric.FID, 1, new double[] {1, 1}, 100, 2, 1);
    JackknifeProfile otherN = new JackknifeProfile(Metric.FID, 1, new double[] {1, 1}, 99, 2, 1);
    JackknifeProfile otherSeed =
        new JackknifeProfile(Metric.FID, 1, new double[] {1, 1}, 100, 2, 2);
    JackknifeProfile otherMetric =
        new JackknifeProfile(Metric.IS, 1, new double[] {1, 1}, 100, 2, 1);
    for (JackknifeProfile q : List.of(otherN, otherSeed)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> PairedComparison.difference(List.of(p), List.of(q)));
      assertTrue(e.getMessage().contains("not paired"), e.getMessage());
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> PairedComparison.difference(List.of(p), List.of(otherMetric)));
    assertThrows(
        IllegalArgumentException.class,
        () -> PairedComparison.difference(List.of(p, p), List.of(p)));
  }
}
