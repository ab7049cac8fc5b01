package org.spdiff.metrics.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.spdiff.metrics.Fixtures;

class InceptionScoreTest {

  @Test
  void sureAndUniformOverKClassesGivesK() {
    int k = 7;
    double[][] logits = new double[70][k];
    for (int i = 0; i < 70; i++) {
      logits[i][i % k] = 60; // p(y|x) one-hot up to e^-60
    }
    SplitScore s = InceptionScore.compute(logits, 10, false, 0);
    assertEquals(k, s.mean(), 1e-9);
    assertEquals(0, s.std(), 1e-9);
    SplitScore one = InceptionScore.compute(logits, 1, true, 2020);
    assertEquals(k, one.mean(), 1e-9);
  }

  @Test
  void uniformPredictionsGiveOne() {
    double[][] logits = new double[50][10];
    for (double[] row : logits) {
      java.util.Arrays.fill(row, 3.0);
    }
    SplitScore s = InceptionScore.compute(logits);
    assertEquals(1.0, s.mean(), 1e-12);
    assertEquals(0.0, s.std(), 1e-12);
  }

  @Test
  void matchesTorchFidelityFormula() {
    Fixtures f = Fixtures.load("is_fixture.npz");
    SplitScore s = InceptionScore.compute(f.matrix("logits"));
    assertArrayEquals(f.vector("is_scores"), s.values(), 1e-10);
    assertEquals(f.scalar("is_mean"), s.mean(), 1e-10 * f.scalar("is_mean"));
    assertEquals(f.scalar("is_std"), s.std(), 1e-9 * f.scalar("is_std"));
    // Unshuffled scores differ: the shuffle matters.
    SplitScore inOrder = InceptionScore.compute(f.matrix("logits"), 10, false, 0);
    assertEquals(false, Math.abs(inOrder.std() - s.std()) < 1e-6);
  }

  @Test
  void rejectsBadInput() {
    assertThrows(
        IllegalArgumentException.class,
        () -> InceptionScore.compute(new double[][] {{0, Double.NaN}}, 1, false, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> InceptionScore.compute(new double[][] {{0, 1}}, 2, false, 0));
  }
}
