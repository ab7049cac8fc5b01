package org.spdiff.metrics.classifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DomainClassifierTest {
  static final int H = 8;

  /** Class k: a bright 3x3 patch at corner k of a noisy 8x8 image. */
  static byte[][] images(int n, long seed, int[] labels) {
    Random r = new Random(seed);
    byte[][] x = new byte[n][H * H];
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(4);
      labels[i] = k;
      for (int j = 0; j < H * H; j++) {
        x[i][j] = (byte) r.nextInt(100);
      }
      int oy = (k / 2) * 5;
      int ox = (k % 2) * 5;
      for (int y = 0; y < 3; y++) {
        for (int xx = 0; xx < 3; xx++) {
          x[i][(oy + y) * H + ox + xx] = (byte) (180 + r.nextInt(70));
        }
      }
    }
    return x;
  }

  static final ClassifierConfig SMALL =
      ClassifierConfig.defaults().withWidths(16, 16, 16, 16).withEpochs(3).withOptimizer(32, 3e-3);

  @Test
  void learnsAToySetDeterministicallyAndRoundTrips(@TempDir Path dir) throws Exception {
    int[] labels = new int[400];
    byte[][] x = images(400, 1, labels);
    byte[][] probe = java.util.Arrays.copyOf(x, 5);
    try (DomainClassifier a = DomainClassifier.train(x, labels, 1, H, H, 4, SMALL.withSeed(7));
        DomainClassifier b = DomainClassifier.train(x, labels, 1, H, H, 4, SMALL.withSeed(7))) {
      assertTrue(a.heldOutAccuracy() >= 0.9, "held-out accuracy " + a.heldOutAccuracy());
      assertEquals(40, a.record().heldOutCount());
      assertEquals(16, a.dims());
      assertEquals(4, a.classes());
      assertEquals(a.id(), b.id(), "same seed, same weights");
      float[][] fa = a.features(probe, 1, H, H);
      assertEquals(16, fa[0].length);
      assertArrayEquals(fa[3], b.features(probe, 1, H, H)[3], 0f);
      float[][] la = a.logits(probe, 1, H, H);
      a.save(dir);
      try (DomainClassifier c = DomainClassifier.load(dir)) {
        assertEquals(a.id(), c.id());
        assertEquals(a.record(), c.record());
        for (int i = 0; i < probe.length; i++) {
          assertArrayEquals(la[i], c.logits(probe, 1, H, H)[i], 0f);
          assertArrayEquals(fa[i], c.features(probe, 1, H, H)[i], 0f);
        }
      }
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> a.features(probe, 1, H, H + 1));
      assertTrue(e.getMessage().contains("1x8x8"), e.getMessage());
    }
  }

  @Test
  void rejectsBadLabelsAndConfig() {
    int[] labels = new int[10];
    byte[][] x = images(10, 2, labels);
    labels[3] = 4;
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DomainClassifier.train(x, labels, 1, H, H, 4, SMALL));
    assertTrue(e.getMessage().contains("label 4 of image 3"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ClassifierConfig(0, 1, 8, 1e-3, 1.0, 16, 16, 16, 8));
    assertTrue(e.getMessage().contains("heldOutFraction"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ClassifierConfig(0, 1, 8, 1e-3, 0.1, 16, 8, 16, 8));
    assertTrue(e.getMessage().contains("multiples of 16"), e.getMessage());
  }
}
