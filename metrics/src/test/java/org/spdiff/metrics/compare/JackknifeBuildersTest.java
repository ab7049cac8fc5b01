package org.spdiff.metrics.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.spdiff.metrics.fid.FastEngine;
import org.spdiff.metrics.fid.FrechetDistance;
import org.spdiff.metrics.fid.FrechetReference;
import org.spdiff.metrics.linalg.JavaMultiplier;
import org.spdiff.metrics.stats.FeatureMatrix;
import org.spdiff.metrics.stats.FeatureStats;
import org.spdiff.metrics.stats.InceptionScore;
import org.spdiff.metrics.stats.KernelInceptionDistance;
import org.spdiff.metrics.stats.NumpyRandomState;
import org.spdiff.metrics.stats.SplitScore;

/** Each fold-deleted value equals the statistic recomputed from scratch on the remaining rows. */
class JackknifeBuildersTest {
  static final FastEngine JAVA_ENGINE = new FastEngine(JavaMultiplier.INSTANCE, false);

  static double[][] rows(long seed, int n, int d, double shift) {
    Random r = new Random(seed);
    double[][] x = new double[n][d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = shift + r.nextGaussian() * (1 + 0.2 * j);
      }
    }
    return x;
  }

  static double[][] outside(double[][] x, PairedFolds folds, int g) {
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      if (folds.foldOf(i) != g) {
        out.add(x[i]);
      }
    }
    return out.toArray(double[][]::new);
  }

  @Test
  void foldsPartitionTheIndicesEvenlyAndDeterministically() {
    PairedFolds f = PairedFolds.of(103, 10, 7);
    int total = 0;
    boolean[] seen = new boolean[103];
    for (int g = 0; g < 10; g++) {
      assertTrue(f.size(g) == 10 || f.size(g) == 11, "fold " + g + ": " + f.size(g));
      for (int i : f.members(g)) {
        assertEquals(g, f.foldOf(i));
        seen[i] = true;
      }
      total += f.size(g);
    }
    assertEquals(103, total);
    for (boolean s : seen) {
      assertTrue(s);
    }
    assertArrayEquals(f.foldOfAll(), PairedFolds.of(103, 10, 7).foldOfAll());
    assertTrue(!Arrays.equals(f.foldOfAll(), PairedFolds.of(103, 10, 8).foldOfAll()));
    assertThrows(IllegalArgumentException.class, () -> PairedFolds.of(10, 10, 1));
    assertThrows(IllegalArgumentException.class, () -> PairedFolds.of(1000, 65, 1));
  }

  @Test
  void fidProfileEqualsFidOfTheRemainingRows() {
    double[][] ref = rows(1, 300, 6, 0);
    double[][] gen = rows(2, 157, 6, 0.3);
    FrechetReference reference = FrechetReference.of(FeatureStats.of(ref), JAVA_ENGINE);
    PairedFolds folds = PairedFolds.of(gen.length, 5, 11);
    FidJackknife.Result r =
        FidJackknife.profile(reference, FeatureMatrix.of(gen), folds, JavaMultiplier.INSTANCE);
    JackknifeProfile p = r.profile();
    assertEquals(Metric.FID, p.metric());
    double full = FrechetDistance.compute(reference, FeatureStats.of(gen)).value();
    assertEquals(full, p.full(), 1e-10 * full);
    for (int g = 0; g < 5; g++) {
      double direct =
          FrechetDistance.compute(reference, FeatureStats.of(outside(gen, folds, g))).value();
      assertEquals(direct, p.withoutFold()[g], 1e-10 * direct, "fold " + g);
    }
    assertTrue(r.warnings().isEmpty(), r.warnings().toString());
  }

  @Test
  void inceptionScoreProfileKeepsSplitMembership() {
    double[][] logits = rows(3, 203, 7, 0);
    for (double[] row : logits) {
      for (int j = 0; j < row.length; j++) {
        row[j] *= 2;
      }
    }
    PairedFolds folds = PairedFolds.of(logits.length, 4, 3);
    InceptionScoreJackknife.Result r = InceptionScoreJackknife.profile(logits, folds, 5, 2020);
    SplitScore expected = InceptionScore.compute(logits, 5, true, 2020);
    assertEquals(expected.mean(), r.score().mean(), 1e-12);
    assertEquals(expected.std(), r.score().std(), 1e-12);
    assertArrayEquals(expected.values(), r.score().values(), 1e-12);
    assertEquals(expected.mean(), r.profile().full(), 0);
    // Brute force: same shuffle and splits, rows of fold g removed from each split.
    int n = logits.length;
    int[] order = new NumpyRandomState(2020).permutation(n);
    for (int g = 0; g < 4; g++) {
      double sum = 0;
      for (int s = 0; s < 5; s++) {
        List<double[]> members = new ArrayList<>();
        for (int pos = s * n / 5; pos < (s + 1) * n / 5; pos++) {
          if (folds.foldOf(order[pos]) != g) {
            members.add(logits[order[pos]]);
          }
        }
        sum += InceptionScore.compute(members.toArray(double[][]::new), 1, false, 0).mean();
      }
      assertEquals(sum / 5, r.profile().withoutFold()[g], 1e-12, "fold " + g);
    }
  }

  static double mmd(List<double[]> x, List<double[]> y, int d) {
    double sxx = 0;
    double syy = 0;
    double sxy = 0;
    for (int i = 0; i < x.size(); i++) {
      for (int j = 0; j < x.size(); j++) {
        if (i != j) {
          sxx += kernel(x.get(i), x.get(j), d);
        }
      }
      for (double[] yj : y) {
        sxy += kernel(x.get(i), yj, d);
      }
    }
    for (int i = 0; i < y.size(); i++) {
      for (int j = 0; j < y.size(); j++) {
        if (i != j) {
          syy += kernel(y.get(i), y.get(j), d);
        }
      }
    }
    int mx = x.size();
    int my = y.size();
    return sxx / (mx * (mx - 1.0)) + syy / (my * (my - 1.0)) - 2 * sxy / ((double) mx * my);
  }

  static double kernel(double[] a, double[] b, int d) {
    double dot = 0;
    for (int t = 0; t < d; t++) {
      dot += a[t] * b[t];
    }
    double v = dot / d + 1;
    return v * v * v;
  }

  @Test
  void kidProfileEqualsTorchFidelityKidAndDropsFoldRowsFromEachSubset() {
    int d = 5;
    double[][] gen = rows(4, 90, d, 0.2);
    double[][] ref = rows(5, 120, d, 0);
    PairedFolds folds = PairedFolds.of(gen.length, 3, 9);
    KidJackknife.Result r =
        KidJackknife.profile(
            FeatureMatrix.of(gen),
            FeatureMatrix.of(ref),
            folds,
            4,
            40,
            2020,
            JavaMultiplier.INSTANCE);
    SplitScore expected =
        KernelInceptionDistance.compute(gen, ref, 4, 40, 2020, JavaMultiplier.INSTANCE);
    assertArrayEquals(expected.values(), r.score().values(), 1e-12);
    assertEquals(expected.std(), r.score().std(), 1e-12);
    NumpyRandomState rng = new NumpyRandomState(2020);
    double[] sums = new double[3];
    for (int s = 0; s < 4; s++) {
      int[] gi = rng.choiceWithoutReplacement(gen.length, 40);
      int[] ri = rng.choiceWithoutReplacement(ref.length, 40);
      List<double[]> y = new ArrayList<>();
      for (int i : ri) {
        y.add(ref[i]);
      }
      for (int g = 0; g < 3; g++) {
        List<double[]> x = new ArrayList<>();
        for (int i : gi) {
          if (folds.foldOf(i) != g) {
            x.add(gen[i]);
          }
        }
        sums[g] += mmd(x, y, d) / 4;
      }
    }
    assertArrayEquals(sums, r.profile().withoutFold(), 1e-12);
  }
}
