package org.spdiff.metrics.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.inception.InceptionV3Fid;
import org.spdiff.metrics.inception.InceptionWeights;

/**
 * Inception feature throughput (images/s) with seeded random weights: batches of 50 28x28 grayscale
 * images upsampled to 299, on the threads given by {@code ai.djl.pytorch.num_threads} (2 in the
 * build). One warm-up batch, then {@code bench.batches} (default 2) timed batches.
 */
@Tag("bench")
class InceptionThroughputBenchmark {

  @Test
  void imagesPerSecond() throws Exception {
    int batch = Integer.getInteger("bench.batch", 50);
    int batches = Integer.getInteger("bench.batches", 2);
    Path dir = Files.createTempDirectory("inception-bench");
    Path weights = dir.resolve("inception.safetensors");
    InceptionWeights.writeRandom(weights, 1, List.of(), Map.of());
    Random r = new Random(0);
    byte[][] images = new byte[batch][28 * 28];
    for (byte[] img : images) {
      r.nextBytes(img);
    }
    try (FeatureExtractor net = InceptionV3Fid.load(weights)) {
      net.extract(images, 1, 28, 28);
      long t0 = System.nanoTime();
      for (int i = 0; i < batches; i++) {
        net.extract(images, 1, 28, 28);
      }
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "Inception pool3+logits, batch %d, 28x28 gray -> 299: %.2f images/s (%d images in %.1f s,"
              + " threads %s)%n",
          batch,
          batch * batches / s,
          batch * batches,
          s,
          System.getProperty("ai.djl.pytorch.num_threads"));
    } finally {
      Files.deleteIfExists(weights);
      Files.deleteIfExists(dir);
    }
  }
}
