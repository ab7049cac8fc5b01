package org.spdiff.metrics.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a float32 (N, d) matrix in numpy's {@code .npy} format 1.0 ({@code np.load} reads it):
 * magic, a header dict {@code {'descr': '<f4', 'fortran_order': False, 'shape': (N, d), }} padded
 * with spaces to a multiple of 64 bytes, then the values little-endian in row-major order.
 */
public final class NpyWriter {
  private NpyWriter() {}

  /** Writes {@code rows} (all of length {@code d}) to {@code file}. */
  public static void writeFloat32(Path file, float[][] rows, int d) throws IOException {
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != d) {
        throw new IllegalArgumentException(
            "row " + i + " has " + rows[i].length + " values, expected " + d);
      }
    }
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      out.write(header(rows.length, d));
      ByteBuffer b = ByteBuffer.allocate(d * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (float[] r : rows) {
        b.clear();
        b.asFloatBuffer().put(r);
        out.write(b.array());
      }
    }
  }

  static byte[] header(long n, long d) {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + n + ", " + d + "), }";
    int unpadded = 10 + dict.length() + 1;
    int total = (unpadded + 63) / 64 * 64;
    StringBuilder sb = new StringBuilder(dict);
    while (10 + sb.length() + 1 < total) {
      sb.append(' ');
    }
    sb.append('\n');
    byte[] text = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[10 + text.length];
    out[0] = (byte) 0x93;
    System.arraycopy("NUMPY".getBytes(StandardCharsets.ISO_8859_1), 0, out, 1, 5);
    out[6] = 1;
    out[7] = 0;
    out[8] = (byte) (text.length & 0xFF);
    out[9] = (byte) (text.length >>> 8);
    System.arraycopy(text, 0, out, 10, text.length);
    return out;
  }
}
