package org.spdiff.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.spdiff.metrics.stats.FeatureStats;

class ScoresTest {

  /** Features = (mean pixel, first pixel); logits = (first pixel, -first pixel). */
  static final class FakeExtractor implements FeatureExtractor {
    int calls;

    @Override
    public int dims() {
      return 2;
    }

    @Override
    public int classes() {
      return 2;
    }

    @Override
    public String id() {
      return "fake";
    }

    @Override
    public Outputs extract(byte[][] images, int channels, int height, int width) {
      calls++;
      float[][] f = new float[images.length][2];
      float[][] l = new float[images.length][2];
      for (int i = 0; i < images.length; i++) {
        float sum = 0;
        for (byte b : images[i]) {
          sum += b & 0xFF;
        }
        f[i][0] = sum / images[i].length;
        f[i][1] = images[i][0] & 0xFF;
        l[i][0] = f[i][1];
        l[i][1] = -f[i][1];
      }
      return new Outputs(f, l);
    }

    @Override
    public void close() {}
  }

  @Test
  void batchesAccumulateLikeOnePass() {
    byte[][] images = new byte[7][4];
    for (int i = 0; i < 7; i++) {
      for (int j = 0; j < 4; j++) {
        images[i][j] = (byte) (i * 31 + j * 7);
      }
    }
    FakeExtractor fake = new FakeExtractor();
    Scores.Extracted e = Scores.extract(fake, images, 1, 2, 2, 3, true);
    assertEquals(3, fake.calls);
    assertEquals(7, e.stats().count());
    assertEquals(7, e.logits().length);
    assertEquals(6f * 31, e.logits()[6][0]);
    FeatureStats one = FeatureStats.of(new FakeExtractor().features(images, 1, 2, 2));
    assertArrayEquals(one.mu(), e.stats().mu(), 1e-12);
    assertArrayEquals(one.sigma()[1], e.stats().sigma()[1], 1e-9);
    assertEquals(7, e.features().length);
    assertEquals(null, Scores.extract(fake, images, 1, 2, 2, 50, false).features());
  }
}
