package org.spdiff.metrics.inception;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.Fixtures;
import org.spdiff.metrics.io.StoredTensor;
import org.spdiff.metrics.io.TorchCheckpoint;

/**
 * pytorch-fid's weights file as published: a full-size {@code .pth} that PyTorch 1.13 wrote in each
 * serialisation (zip and legacy; reassembled byte for byte from fixtures/pth, see {@link
 * HashWeightFiles}) gives the same tensors and the same features, bit for bit, as the safetensors
 * conversion of the same tensors.
 */
class PthWeightsTest {
  @TempDir Path dir;

  @Test
  void bothTorchSerialisationsGiveTheSafetensorsFeaturesBitForBit() throws Exception {
    Path zip = HashWeightFiles.rebuild("inception_hash_zip", dir.resolve("zip.pth"));
    Path legacy = HashWeightFiles.rebuild("inception_hash_legacy", dir.resolve("legacy.pth"));
    Path st =
        HashWeightFiles.rebuild("inception_hash_safetensors", dir.resolve("conv.safetensors"));
    assertEquals("zip", TorchCheckpoint.format(Files.readAllBytes(zip)));
    assertEquals("legacy", TorchCheckpoint.format(Files.readAllBytes(legacy)));

    for (Path pth : new Path[] {zip, legacy}) {
      Map<String, StoredTensor> sd = TorchCheckpoint.readStateDict(pth);
      assertEquals(472, sd.size());
      for (String k :
          new String[] {
            "Conv2d_1a_3x3.conv.weight", "Mixed_7c.branch_pool.bn.running_var", "fc.weight"
          }) {
        assertArrayEquals(OracleWeights.values(k), sd.get(k).toFloatArray(), 0f, k);
      }
    }

    Fixtures f = Fixtures.load("inception_oracle.npz");
    double[][] img = f.matrix("images");
    byte[][] images = new byte[img.length][img[0].length];
    for (int i = 0; i < img.length; i++) {
      for (int j = 0; j < img[i].length; j++) {
        images[i][j] = (byte) (int) img[i][j];
      }
    }
    FeatureExtractor.Outputs reference;
    try (FeatureExtractor net = InceptionV3Fid.load(st)) {
      reference = net.extract(images, 1, 28, 28);
    }
    for (Path pth : new Path[] {zip, legacy}) {
      try (FeatureExtractor net = InceptionV3Fid.load(pth)) {
        FeatureExtractor.Outputs out = net.extract(images, 1, 28, 28);
        for (int i = 0; i < images.length; i++) {
          assertArrayEquals(reference.features()[i], out.features()[i], 0f, pth + " pool3");
          assertArrayEquals(reference.logits()[i], out.logits()[i], 0f, pth + " logits");
        }
      }
    }
    // and they are the oracle's weights: torch's own network on them gives the same pool3
    InceptionOracleTest.compare("pool3 (.pth)", f.matrix("pool3"), reference.features());
  }

  @Test
  void misshapenOrMissingTensorInAPthIsNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> InceptionV3Fid.load(Fixtures.path("pth/wrong_shape.pth")));
    assertTrue(
        e.getMessage().contains("'Conv2d_1a_3x3.conv.weight'")
            && e.getMessage().contains("(32, 3, 3, 1)")
            && e.getMessage().contains("wrong_shape.pth"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> InceptionV3Fid.load(Fixtures.path("pth/missing_tensor.pth")));
    assertTrue(
        e.getMessage().contains("'Conv2d_1a_3x3.bn.weight' missing")
            && e.getMessage().contains("missing_tensor.pth"),
        e.getMessage());
  }
}
