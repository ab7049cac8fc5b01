package org.spdiff.metrics.inception;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.Fixtures;

/**
 * The DJL network against an independent torch.nn implementation (fixtures/inception_oracle.py,
 * torch 1.13) with identical hash-generated weights and pytorch-fid preprocessing: same state-dict
 * keys and shapes, same pool3 features and logits.
 */
class InceptionOracleTest {

  @Test
  void keysAndShapesMatchTheTorchModule() throws Exception {
    Map<String, Shape> torch = new LinkedHashMap<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                Fixtures.class.getResourceAsStream("fixtures/inception_oracle_keys.txt"),
                StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        String[] parts = line.split(" ");
        String[] dims = parts[1].split(",");
        long[] s = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
          s[i] = Long.parseLong(dims[i]);
        }
        torch.put(parts[0], new Shape(s));
      }
    }
    assertEquals(torch, new TreeMap<>(InceptionV3Architecture.parameterShapes()));
    assertEquals(new TreeMap<>(torch), new TreeMap<>(InceptionV3Architecture.parameterShapes()));
  }

  @Test
  void averagePoolExcludesPadding() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.arange(16f).reshape(1, 1, 4, 4);
      float[] y = InceptionV3Architecture.avgPoolExcludePad(x).toFloatArray();
      // corner (0, 0): mean of 0, 1, 4, 5 over 4 valid pixels; edge (0, 1): mean of 0,1,2,4,5,6
      assertEquals(2.5f, y[0], 1e-6f);
      assertEquals(3.0f, y[1], 1e-6f);
      assertEquals(5.0f, y[5], 1e-6f); // interior: mean of 0..2, 4..6, 8..10
      assertEquals(12.5f, y[15], 1e-6f);
    }
  }

  /** The oracle's weight formula (see inception_oracle.py and {@link OracleWeights}). */
  static void writeHashWeights(Path file) throws Exception {
    try (NDManager m = NDManager.newBaseManager();
        OutputStream out = Files.newOutputStream(file)) {
      NDList list = new NDList();
      for (String name : OracleWeights.sortedKeys()) {
        NDArray a =
            m.create(
                OracleWeights.values(name), InceptionV3Architecture.parameterShapes().get(name));
        a.setName(name);
        list.add(a);
      }
      list.encode(out, NDList.Encoding.SAFETENSORS);
    }
  }

  @Test
  void outputsMatchTheTorchModule(@TempDir Path dir) throws Exception {
    Fixtures f = Fixtures.load("inception_oracle.npz");
    double[][] img = f.matrix("images");
    byte[][] images = new byte[img.length][img[0].length];
    for (int i = 0; i < img.length; i++) {
      for (int j = 0; j < img[i].length; j++) {
        images[i][j] = (byte) (int) img[i][j];
      }
    }
    Path weights = dir.resolve("hash.safetensors");
    writeHashWeights(weights);
    try (FeatureExtractor net = InceptionV3Fid.load(weights)) {
      FeatureExtractor.Outputs out = net.extract(images, 1, 28, 28);
      compare("pool3", f.matrix("pool3"), out.features());
      compare("logits", f.matrix("logits"), out.logits());
    }
  }

  static void compare(String what, double[][] expected, float[][] actual) {
    double scale = 0;
    double err = 0;
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[i].length; j++) {
        scale = Math.max(scale, Math.abs(expected[i][j]));
        err = Math.max(err, Math.abs(expected[i][j] - actual[i][j]));
      }
    }
    System.out.printf("%s: max |torch - djl| = %.3g, max |torch| = %.3g%n", what, err, scale);
    assertTrue(scale > 0);
    assertTrue(err <= 1e-4 * scale, what + ": max error " + err + " vs scale " + scale);
  }
}
