package org.spdiff.metrics.fid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.spdiff.metrics.linalg.JavaMultiplier;
import org.spdiff.metrics.stats.FeatureMatrix;
import org.spdiff.metrics.stats.FeatureStats;
import org.spdiff.metrics.stats.InceptionScore;
import org.spdiff.metrics.stats.PerClassInceptionScore;
import org.spdiff.metrics.stats.SplitScore;

class PerClassFidTest {

  /** Three classes centred at 0, 3, 6 on the first axis; class 2 of the generated set is off. */
  static double[][] rows(long seed, int[] labels, double offClass2) {
    Random r = new Random(seed);
    double[][] x = new double[labels.length][4];
    for (int i = 0; i < labels.length; i++) {
      for (int j = 0; j < 4; j++) {
        x[i][j] = r.nextGaussian();
      }
      x[i][0] += 3 * labels[i] + (labels[i] == 2 ? offClass2 : 0);
    }
    return x;
  }

  static int[] labels(int n) {
    int[] l = new int[n];
    for (int i = 0; i < n; i++) {
      l[i] = i % 3;
    }
    return l;
  }

  @Test
  void eachClassIsScoredAgainstItsOwnReference() {
    int[] refLabels = labels(600);
    int[] genLabels = labels(300);
    double[][] ref = rows(1, refLabels, 0);
    double[][] gen = rows(2, genLabels, 1.5);
    Map<Integer, FrechetReference> refs =
        PerClassFid.references(FeatureMatrix.of(ref), refLabels, JavaMultiplier.INSTANCE);
    Map<Integer, FidResult> fid =
        PerClassFid.compute(FeatureMatrix.of(gen), genLabels, refs, JavaMultiplier.INSTANCE);
    assertEquals(List.of(0, 1, 2), List.copyOf(fid.keySet()));
    assertTrue(fid.get(0).value() < 0.2 && fid.get(1).value() < 0.2, fid.toString());
    assertTrue(fid.get(2).value() > 1.5, "class 2 is shifted by 1.5: FID ~ 2.25, " + fid);
    // Same as scoring the class's rows directly.
    List<double[]> g2 = new ArrayList<>();
    List<double[]> r2 = new ArrayList<>();
    for (int i = 0; i < gen.length; i++) {
      if (genLabels[i] == 2) {
        g2.add(gen[i]);
      }
    }
    for (int i = 0; i < ref.length; i++) {
      if (refLabels[i] == 2) {
        r2.add(ref[i]);
      }
    }
    double direct =
        FrechetDistance.compute(
                FrechetReference.of(FeatureStats.of(r2.toArray(double[][]::new))),
                FeatureStats.of(g2.toArray(double[][]::new)))
            .value();
    assertEquals(direct, fid.get(2).value(), 1e-9 * direct);
    // The same from per-class moments (e.g. per-class .npz statistics).
    Map<Integer, FrechetReference> fromMoments =
        PerClassFid.references(
            Map.of(
                0, FeatureStats.of(rowsOf(ref, refLabels, 0)).moments(),
                1, FeatureStats.of(rowsOf(ref, refLabels, 1)).moments(),
                2, FeatureStats.of(r2.toArray(double[][]::new)).moments()));
    Map<Integer, FidResult> again =
        PerClassFid.compute(FeatureMatrix.of(gen), genLabels, fromMoments, JavaMultiplier.INSTANCE);
    for (int c = 0; c < 3; c++) {
      assertEquals(fid.get(c).value(), again.get(c).value(), 1e-9 * (1 + fid.get(c).value()));
    }
  }

  static double[][] rowsOf(double[][] x, int[] labels, int c) {
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      if (labels[i] == c) {
        out.add(x[i]);
      }
    }
    return out.toArray(double[][]::new);
  }

  @Test
  void aGeneratedClassWithoutReferenceFails() {
    int[] refLabels = new int[60];
    double[][] ref = rows(1, refLabels, 0);
    Map<Integer, FrechetReference> refs =
        PerClassFid.references(FeatureMatrix.of(ref), refLabels, JavaMultiplier.INSTANCE);
    int[] gen = labels(30);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PerClassFid.compute(
                    FeatureMatrix.of(rows(2, gen, 0)), gen, refs, JavaMultiplier.INSTANCE));
    assertTrue(e.getMessage().contains("class 1"), e.getMessage());
  }

  @Test
  void perClassInceptionScoreScoresEachClassOnItsOwn() {
    int[] l = labels(90);
    double[][] logits = rows(5, l, 0);
    Map<Integer, SplitScore> is = PerClassInceptionScore.compute(logits, l, 10, 2020);
    assertEquals(3, is.size());
    List<double[]> c1 = new ArrayList<>();
    for (int i = 0; i < l.length; i++) {
      if (l[i] == 1) {
        c1.add(logits[i]);
      }
    }
    SplitScore direct = InceptionScore.compute(c1.toArray(double[][]::new), 10, true, 2020);
    assertEquals(direct.mean(), is.get(1).mean(), 0.0);
    Map<Integer, SplitScore> clipped = PerClassInceptionScore.compute(logits, l, 50, 2020);
    assertTrue(clipped.get(0).warnings().stream().anyMatch(w -> w.contains("clipped to 30")));
  }
}
