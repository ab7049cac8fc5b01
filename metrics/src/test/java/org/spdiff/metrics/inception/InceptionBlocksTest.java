package org.spdiff.metrics.inception;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.Fixtures;

/**
 * pytorch-fid's four {@code --dims} blocks and clean-fid's resize against the torch.nn oracle
 * (fixtures/inception_blocks.py: same hash weights, torch 1.13, Pillow 9.4).
 */
class InceptionBlocksTest {
  @TempDir static Path dir;
  static Path weights;
  static final Fixtures F = Fixtures.load("inception_blocks.npz");

  @BeforeAll
  static void writeWeights() throws Exception {
    weights = dir.resolve("hash.safetensors");
    InceptionOracleTest.writeHashWeights(weights);
  }

  static byte[][] bytes(double[][] v) {
    byte[][] out = new byte[v.length][v[0].length];
    for (int i = 0; i < v.length; i++) {
      for (int j = 0; j < v[i].length; j++) {
        out[i][j] = (byte) (int) v[i][j];
      }
    }
    return out;
  }

  @Test
  void eachDimsTapsPytorchFidsBlock() throws Exception {
    byte[][] gray = bytes(F.matrix("images_gray"));
    for (int d : new int[] {64, 192, 768, 2048}) {
      InceptionV3Fid.Config c = InceptionV3Fid.Config.DEFAULT.withDims(d);
      try (FeatureExtractor net = InceptionV3Fid.load(weights, c)) {
        assertEquals(d, net.dims());
        assertEquals(d == 2048 ? 1008 : 0, net.classes());
        assertEquals(d != 2048, net.id().contains("/dims=" + d), net.id());
        FeatureExtractor.Outputs out = net.extract(gray, 1, 28, 28);
        assertEquals(d, out.features()[0].length);
        InceptionOracleTest.compare("block " + d, F.matrix("b" + d), out.features());
      }
    }
    assertThrows(
        IllegalArgumentException.class, () -> InceptionV3Fid.Config.DEFAULT.withDims(1000));
  }

  @Test
  void cleanResizeMatchesCleanFidPreprocessingThroughTheNetwork() throws Exception {
    InceptionV3Fid.Config c = InceptionV3Fid.Config.DEFAULT.withResize(ResizeMethod.CLEAN);
    try (FeatureExtractor net = InceptionV3Fid.load(weights, c)) {
      assertTrue(net.id().contains("/resize=clean@sha256:"), net.id());
      FeatureExtractor.Outputs g = net.extract(bytes(F.matrix("images_gray")), 1, 28, 28);
      InceptionOracleTest.compare("clean gray", F.matrix("clean_gray"), g.features());
      FeatureExtractor.Outputs rgb = net.extract(bytes(F.matrix("images_rgb")), 3, 20, 24);
      InceptionOracleTest.compare("clean rgb", F.matrix("clean_rgb"), rgb.features());
    }
    // the two resizes give different features (the point of choosing one)
    try (FeatureExtractor legacy = InceptionV3Fid.load(weights)) {
      float[] a = legacy.extract(bytes(F.matrix("images_gray")), 1, 28, 28).features()[0];
      double[] b = F.matrix("clean_gray")[0];
      double diff = 0;
      for (int i = 0; i < a.length; i++) {
        diff = Math.max(diff, Math.abs(a[i] - b[i]));
      }
      assertTrue(diff > 1e-3 * maxAbs(b), "legacy and clean differ: " + diff);
    }
  }

  static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }
}
