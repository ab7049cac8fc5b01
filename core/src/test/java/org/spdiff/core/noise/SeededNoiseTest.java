package org.spdiff.core.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SeededNoiseTest {

  @Test
  void perSampleNoiseIgnoresBatchComposition() {
    try (NDManager m = NDManager.newBaseManager()) {
      Shape s = new Shape(3, 4, 4);
      NDArray all = SeededNoise.perSample(m, s, 7, 1, new long[] {0, 1, 2, 3, 4, 5});
      NDArray part = SeededNoise.perSample(m, s, 7, 1, new long[] {4, 2});
      assertArrayEquals(all.get(4).toFloatArray(), part.get(0).toFloatArray());
      assertArrayEquals(all.get(2).toFloatArray(), part.get(1).toFloatArray());
      NDArray other = SeededNoise.perSample(m, s, 8, 1, new long[] {4});
      assertFalse(Arrays.equals(all.get(4).toFloatArray(), other.get(0).toFloatArray()));
      NDArray step = SeededNoise.perSample(m, s, 7, 1, new long[] {4}, 3);
      assertFalse(Arrays.equals(all.get(4).toFloatArray(), step.get(0).toFloatArray()));
    }
  }

  @Test
  void standardNormalMoments() {
    float[] f = new float[200_001];
    SeededNoise.gaussian(SeededNoise.rng(1, 2, 3), f, 0, f.length);
    double sum = 0;
    double sq = 0;
    for (float v : f) {
      sum += v;
      sq += v * v;
    }
    double mean = sum / f.length;
    assertEquals(0, mean, 0.01);
    assertEquals(1, sq / f.length - mean * mean, 0.01);
  }

  @Test
  void stepDrawsAreStable() {
    try (NDManager m = NDManager.newBaseManager()) {
      Shape s = new Shape(2, 3);
      assertArrayEquals(
          SeededNoise.forStep(m, s, 5, 3, 10).toFloatArray(),
          SeededNoise.forStep(m, s, 5, 3, 10).toFloatArray());
      assertFalse(
          Arrays.equals(
              SeededNoise.forStep(m, s, 5, 3, 10).toFloatArray(),
              SeededNoise.forStep(m, s, 5, 3, 11).toFloatArray()));
    }
  }
}
