package org.spdiff.metrics.inception;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.Fixtures;

class InceptionV3FidTest {
  @TempDir static Path dir;
  static Path weights;

  @BeforeAll
  static void writeWeights() throws Exception {
    weights = dir.resolve("inception.safetensors");
    InceptionWeights.writeRandom(weights, 42, List.of(), Map.of());
  }

  @Test
  void keysAreThoseOfPytorchFidStateDict() {
    Map<String, Shape> keys = InceptionV3Architecture.parameterShapes();
    // 94 BasicConv2d x 5 tensors + fc.weight + fc.bias
    assertEquals(94 * 5 + 2, keys.size());
    assertEquals(new Shape(32, 3, 3, 3), keys.get("Conv2d_1a_3x3.conv.weight"));
    assertEquals(new Shape(32), keys.get("Conv2d_1a_3x3.bn.running_var"));
    assertEquals(new Shape(192), keys.get("Mixed_7c.branch_pool.bn.running_var"));
    assertEquals(new Shape(192, 2048, 1, 1), keys.get("Mixed_7c.branch_pool.conv.weight"));
    assertEquals(new Shape(192, 160, 1, 7), keys.get("Mixed_6c.branch7x7dbl_5.conv.weight"));
    assertEquals(new Shape(384, 384, 3, 1), keys.get("Mixed_7b.branch3x3dbl_3b.conv.weight"));
    assertEquals(new Shape(1008, 2048), keys.get("fc.weight"));
    assertEquals(new Shape(1008), keys.get("fc.bias"));
    assertTrue(keys.keySet().stream().noneMatch(k -> k.startsWith("AuxLogits")));
  }

  @Test
  void resizeMatchesTorchInterpolate() {
    Fixtures f = Fixtures.load("resize_fixture.npz");
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray small = m.create(toFloat(f.vector("small")), new Shape(2, 1, 5, 7));
      assertArrayEquals(toFloat(f.vector("up")), resize(small, 5, 7, 11, 13), 1e-6f);
      assertArrayEquals(toFloat(f.vector("down")), resize(small, 5, 7, 3, 4), 1e-6f);
      NDArray digit = m.create(toFloat(f.vector("digit")), new Shape(1, 1, 28, 28));
      NDArray pre = InceptionV3Fid.preprocess(digit, m, 28, 28);
      assertEquals(new Shape(1, 3, 299, 299), pre.getShape());
      float[] big = toFloat(f.vector("big"));
      float[] got = pre.get(":, 2").toFloatArray();
      // float32 rounding of a separable two-matmul form vs torch's fused kernel: ~1e-6
      for (int i = 0; i < big.length; i++) {
        assertEquals(2 * big[i] - 1, got[i], 1e-5f, "pixel " + i);
      }
    }
  }

  static float[] resize(NDArray x, int h, int w, int oh, int ow) {
    NDManager m = x.getManager();
    NDArray rh = m.create(BilinearResize.matrix(h, oh), new Shape(oh, h));
    NDArray rw = m.create(BilinearResize.matrix(w, ow), new Shape(ow, w));
    return rh.matMul(x).matMul(rw.transpose()).toFloatArray();
  }

  static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  static byte[][] randomImages(long seed, int n, int size) {
    Random r = new Random(seed);
    byte[][] x = new byte[n][size];
    for (byte[] img : x) {
      r.nextBytes(img);
    }
    return x;
  }

  @Test
  void randomWeightsGiveDeterministicOutputsOfTheRightShape() throws Exception {
    byte[][] gray = randomImages(1, 2, 28 * 28);
    byte[] rgb = new byte[3 * 28 * 28];
    for (int c = 0; c < 3; c++) {
      System.arraycopy(gray[1], 0, rgb, c * 784, 784);
    }
    try (FeatureExtractor net = InceptionV3Fid.load(weights)) {
      assertEquals(2048, net.dims());
      assertEquals(1008, net.classes());
      assertTrue(
          net.id().startsWith("pytorch-fid-inception-v3/resize=legacy-pytorch@sha256:"), net.id());
      FeatureExtractor.Outputs a = net.extract(gray, 1, 28, 28);
      FeatureExtractor.Outputs b = net.extract(gray, 1, 28, 28);
      assertEquals(2, a.features().length);
      assertEquals(2048, a.features()[0].length);
      assertEquals(1008, a.logits()[0].length);
      for (int i = 0; i < 2; i++) {
        assertArrayEquals(a.features()[i], b.features()[i], 0f);
        assertArrayEquals(a.logits()[i], b.logits()[i], 0f);
        for (float v : a.features()[i]) {
          assertTrue(Float.isFinite(v) && v >= 0, "pool3 after ReLU is >= 0");
        }
      }
      assertNotEquals(a.features()[0][0], a.features()[1][0]);
      // grayscale is repeated to 3 channels; batch composition does not change a row
      FeatureExtractor.Outputs c = net.extract(new byte[][] {rgb}, 3, 28, 28);
      assertArrayEquals(a.features()[1], c.features()[0], 1e-4f);
      assertArrayEquals(a.logits()[1], c.logits()[0], 1e-4f);
    }
  }

  @Test
  void logitsWithAndWithoutBias() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w =
          m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3)); // fc.weight^T (2048->3)
      NDArray bias = m.create(new float[] {10, 20, 30});
      InceptionV3Architecture.Parameters p =
          new InceptionV3Architecture.Parameters() {
            @Override
            public NDArray weight(String conv) {
              throw new UnsupportedOperationException();
            }

            @Override
            public NDArray bias(String conv) {
              throw new UnsupportedOperationException();
            }

            @Override
            public NDArray fcWeightTransposed() {
              return w;
            }

            @Override
            public NDArray fcBias() {
              return bias;
            }
          };
      NDArray pool = m.create(new float[] {1, -1}, new Shape(1, 2));
      assertArrayEquals(
          new float[] {-3, -3, -3},
          InceptionV3Architecture.logits(pool, p, true).toFloatArray(),
          0f);
      assertArrayEquals(
          new float[] {7, 17, 27},
          InceptionV3Architecture.logits(pool, p, false).toFloatArray(),
          0f);
    }
  }

  @Test
  void missingOrMisshapenTensorIsNamed() throws Exception {
    Path missing = dir.resolve("missing.safetensors");
    InceptionWeights.writeRandom(
        missing, 1, List.of("Mixed_7c.branch_pool.bn.running_var"), Map.of());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> InceptionV3Fid.load(missing));
    assertTrue(
        e.getMessage().contains("'Mixed_7c.branch_pool.bn.running_var' missing"), e.getMessage());
    Path wrong = dir.resolve("wrong.safetensors");
    InceptionWeights.writeRandom(
        wrong, 1, List.of(), Map.of("Conv2d_2b_3x3.conv.weight", new Shape(64, 32, 3, 1)));
    e = assertThrows(IllegalArgumentException.class, () -> InceptionV3Fid.load(wrong));
    assertTrue(
        e.getMessage().contains("'Conv2d_2b_3x3.conv.weight'")
            && e.getMessage().contains("(64, 32, 3, 1)"),
        e.getMessage());
  }
}
