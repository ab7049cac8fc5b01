package org.spdiff.metrics.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.spdiff.metrics.Fixtures;

class FeatureStatsTest {

  static double[][] randomRows(long seed, int n, int d, double offset) {
    Random r = new Random(seed);
    double[][] x = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        x[i][j] = offset + r.nextGaussian() * (1 + j) + (j > 0 ? 0.5 * x[i][j - 1] : 0);
      }
    }
    return x;
  }

  static void assertClose(double[][] expected, double[][] actual, double rel) {
    double scale = 0;
    for (double[] row : expected) {
      for (double v : row) {
        scale = Math.max(scale, Math.abs(v));
      }
    }
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[i].length; j++) {
        assertEquals(expected[i][j], actual[i][j], rel * scale, "(" + i + ", " + j + ")");
      }
    }
  }

  @Test
  void matchesNumpyCov() {
    Fixtures f = Fixtures.load("fid_fixture.npz");
    FeatureStats s = FeatureStats.of(f.matrix("x1"));
    assertEquals(400, s.count());
    assertArrayEquals(f.vector("mu1"), s.mu(), 1e-12);
    assertClose(f.matrix("sigma1"), s.sigma(), 1e-12);
  }

  @Test
  void mergeInAnyGroupingEqualsOnePass() {
    // Large offset: a naive sum-of-squares formula would lose ~8 digits here.
    double[][] x = randomRows(1, 517, 7, 1e4);
    FeatureStats one = new FeatureStats(7).add(x);
    Random r = new Random(2);
    for (int trial = 0; trial < 20; trial++) {
      List<FeatureStats> parts = new ArrayList<>();
      int i = 0;
      while (i < x.length) {
        int b = 1 + r.nextInt(60);
        parts.add(new FeatureStats(7).add(Arrays.copyOfRange(x, i, Math.min(x.length, i + b))));
        i += b;
      }
      Collections.shuffle(parts, r);
      while (parts.size() > 1) {
        int a = r.nextInt(parts.size());
        FeatureStats pa = parts.remove(a);
        int b = r.nextInt(parts.size());
        parts.get(b).merge(pa);
      }
      FeatureStats merged = parts.get(0);
      assertEquals(one.count(), merged.count());
      double[] m1 = one.mu();
      double[] m2 = merged.mu();
      for (int j = 0; j < 7; j++) {
        assertEquals(m1[j], m2[j], 1e-12 * Math.abs(m1[j]));
      }
      assertClose(one.sigma(), merged.sigma(), 1e-12);
    }
    // and the one-pass result itself is right (two-pass reference)
    assertClose(twoPassCov(x), one.sigma(), 1e-12);
  }

  static double[][] twoPassCov(double[][] x) {
    int n = x.length;
    int d = x[0].length;
    double[] m = new double[d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        m[j] += row[j] / n;
      }
    }
    double[][] c = new double[d][d];
    for (double[] row : x) {
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          c[i][j] += (row[i] - m[i]) * (row[j] - m[j]) / (n - 1);
        }
      }
    }
    return c;
  }

  @Test
  void floatBatchesAndEmptyMerges() {
    float[][] x = {{1, 2}, {3, 5}, {-1, 0}};
    FeatureStats s = new FeatureStats(2).add(x).merge(new FeatureStats(2));
    assertArrayEquals(new double[] {1, 7.0 / 3}, s.mu(), 1e-15);
    assertEquals(4.0, s.sigma()[0][0], 1e-14);
    assertEquals(new FeatureStats(2).merge(s).sigma()[0][1], s.sigma()[1][0], 0);
  }

  @Test
  void rejectsBadInput() {
    FeatureStats s = new FeatureStats(3);
    assertThrows(IllegalArgumentException.class, () -> s.add(new double[][] {{1, 2}}));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> s.add(new double[][] {{1, Double.NaN, 3}}));
    assertTrue(e.getMessage().contains("dim 1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> s.merge(new FeatureStats(4)));
    assertThrows(IllegalStateException.class, s::sigma);
  }

  @Test
  void serializes() throws Exception {
    FeatureStats s = FeatureStats.of(randomRows(3, 20, 4, 0));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    FeatureStats back;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (FeatureStats) in.readObject();
    }
    assertEquals(s.count(), back.count());
    assertArrayEquals(s.mu(), back.mu(), 0);
    assertClose(s.sigma(), back.sigma(), 0);
  }
}
