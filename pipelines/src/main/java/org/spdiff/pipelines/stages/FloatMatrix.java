package org.spdiff.pipelines.stages;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A float32 matrix as bytes: int32 rows, int32 cols (little-endian), then the values row by row
 * (little-endian), for the feature caches the store keeps (e.g. KID's reference subset).
 */
public final class FloatMatrix {
  private FloatMatrix() {}

  public static byte[] encode(float[][] m) {
    int rows = m.length;
    int cols = rows == 0 ? 0 : m[0].length;
    ByteBuffer b = ByteBuffer.allocate(8 + 4 * rows * cols).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(rows).putInt(cols);
    for (float[] r : m) {
      if (r.length != cols) {
        throw new IllegalArgumentException("ragged matrix: " + r.length + " vs " + cols);
      }
      for (float v : r) {
        b.putFloat(v);
      }
    }
    return b.array();
  }

  public static float[][] decode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int rows = b.getInt();
    int cols = b.getInt();
    if (rows < 0 || cols < 0 || bytes.length != 8 + 4L * rows * cols) {
      throw new IllegalArgumentException(
          "not a float matrix: header says " + rows + "x" + cols + ", " + bytes.length + " bytes");
    }
    float[][] m = new float[rows][cols];
    for (float[] r : m) {
      for (int j = 0; j < cols; j++) {
        r[j] = b.getFloat();
      }
    }
    return m;
  }

  public static double[][] toDouble(float[][] m) {
    double[][] d = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      d[i] = new double[m[i].length];
      for (int j = 0; j < m[i].length; j++) {
        d[i][j] = m[i][j];
      }
    }
    return d;
  }
}
