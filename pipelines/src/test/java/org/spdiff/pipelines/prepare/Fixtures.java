package org.spdiff.pipelines.prepare;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Small synthetic inputs and option helpers. */
final class Fixtures {
  private Fixtures() {}

  /** Writes an IDX images file ({@code n} images of {@code rows x cols}, pixel = i + r + c). */
  static void writeIdxImages(Path file, int magic, int n, int rows, int cols, boolean gzip)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(magic);
    out.writeInt(n);
    out.writeInt(rows);
    out.writeInt(cols);
    for (int i = 0; i < n; i++) {
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          out.writeByte(i * 10 + r * cols + c);
        }
      }
    }
    write(file, bytes.toByteArray(), gzip);
  }

  static void writeIdxLabels(Path file, int n, int numClasses, boolean gzip) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x801);
    out.writeInt(n);
    for (int i = 0; i < n; i++) {
      out.writeByte(i % numClasses);
    }
    write(file, bytes.toByteArray(), gzip);
  }

  private static void write(Path file, byte[] data, boolean gzip) throws IOException {
    try (OutputStream o = Files.newOutputStream(file)) {
      if (gzip) {
        try (GZIPOutputStream g = new GZIPOutputStream(o)) {
          g.write(data);
        }
      } else {
        o.write(data);
      }
    }
  }

  /** A complete small IDX folder: train 7 images, t10k 3 images, 3x3 pixels, 3 classes. */
  static Path idxFolder(Path dir) throws IOException {
    Files.createDirectories(dir);
    writeIdxImages(dir.resolve("train-images-idx3-ubyte.gz"), 0x803, 7, 3, 3, true);
    writeIdxLabels(dir.resolve("train-labels-idx1-ubyte.gz"), 7, 3, true);
    writeIdxImages(dir.resolve("t10k-images-idx3-ubyte"), 0x803, 3, 3, 3, false);
    writeIdxLabels(dir.resolve("t10k-labels-idx1-ubyte"), 3, 3, false);
    return dir;
  }

  /** One CIFAR-10 record: label byte then R, G, B planes with values derived from seed. */
  static byte[] cifarRecord(int label, int seed) {
    byte[] rec = new byte[3073];
    rec[0] = (byte) label;
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < 1024; i++) {
        rec[1 + c * 1024 + i] = (byte) (seed * 3 + c * 50 + i % 32);
      }
    }
    return rec;
  }

  /** Options for a test run on the DirectRunner. */
  static PrepareOptions directOptions(String... flags) {
    String[] all = new String[flags.length + 1];
    System.arraycopy(flags, 0, all, 0, flags.length);
    all[flags.length] = "--runner=DirectRunner";
    return PipelineOptionsFactory.fromArgs(all).withValidation().as(PrepareOptions.class);
  }
}
