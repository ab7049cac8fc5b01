package org.spdiff.metrics.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spdiff.metrics.classifier.ClassifierConfig;
import org.spdiff.metrics.classifier.DomainClassifier;

/**
 * Trains the default {@link DomainClassifier} on Fashion-MNIST's 60k training images (10% held out)
 * and reports held-out and t10k test accuracy and time (target >= 90%). Data from {@code
 * bench.fashion} (default /usr/share/datasets/fashion-mnist). Saves the classifier under {@code
 * target/bench/fashion-classifier}.
 */
@Tag("bench")
class FashionMnistClassifierBenchmark {

  /** Gzipped IDX (big-endian) images: (n, 1 * rows * cols) uint8. Test code only. */
  static byte[][] readImages(Path file) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new GZIPInputStream(Files.newInputStream(file)))) {
      int magic = in.readInt();
      if (magic != 0x803) {
        throw new IOException(file + ": not an IDX3 image file (magic " + magic + ")");
      }
      int n = in.readInt();
      int rows = in.readInt();
      int cols = in.readInt();
      byte[][] x = new byte[n][rows * cols];
      for (byte[] img : x) {
        in.readFully(img);
      }
      return x;
    }
  }

  /** Gzipped IDX labels. */
  static int[] readLabels(Path file) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new GZIPInputStream(Files.newInputStream(file)))) {
      int magic = in.readInt();
      if (magic != 0x801) {
        throw new IOException(file + ": not an IDX1 label file (magic " + magic + ")");
      }
      int n = in.readInt();
      int[] y = new int[n];
      for (int i = 0; i < n; i++) {
        y[i] = in.readUnsignedByte();
      }
      return y;
    }
  }

  @Test
  void trainsToNinetyPercent() throws Exception {
    Path root = Path.of(System.getProperty("bench.fashion", "/usr/share/datasets/fashion-mnist"));
    Assumptions.assumeTrue(Files.isDirectory(root), "no Fashion-MNIST at " + root);
    byte[][] x = readImages(root.resolve("train-images-idx3-ubyte.gz"));
    int[] y = readLabels(root.resolve("train-labels-idx1-ubyte.gz"));
    byte[][] xt = readImages(root.resolve("t10k-images-idx3-ubyte.gz"));
    int[] yt = readLabels(root.resolve("t10k-labels-idx1-ubyte.gz"));
    ClassifierConfig cfg =
        ClassifierConfig.defaults().withEpochs(Integer.getInteger("bench.epochs", 4));
    try (DomainClassifier clf = DomainClassifier.train(x, y, 1, 28, 28, 10, cfg)) {
      int correct = 0;
      for (int from = 0; from < xt.length; from += 1000) {
        int to = Math.min(xt.length, from + 1000);
        float[][] logits = clf.logits(java.util.Arrays.copyOfRange(xt, from, to), 1, 28, 28);
        for (int i = from; i < to; i++) {
          float[] l = logits[i - from];
          int best = 0;
          for (int k = 1; k < l.length; k++) {
            if (l[k] > l[best]) {
              best = k;
            }
          }
          correct += best == yt[i] ? 1 : 0;
        }
      }
      clf.save(Path.of("target/bench/fashion-classifier"));
      System.out.printf(
          "Fashion-MNIST classifier %s: held-out accuracy %.4f (%d images), t10k accuracy %.4f,"
              + " training %.1f s (%d epochs, threads %s), id %s%n",
          cfg,
          clf.heldOutAccuracy(),
          clf.record().heldOutCount(),
          (double) correct / xt.length,
          clf.record().trainSeconds(),
          cfg.epochs(),
          System.getProperty("ai.djl.pytorch.num_threads"),
          clf.id());
    }
  }
}
