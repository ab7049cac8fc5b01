package org.spdiff.core.sampling;

import ai.djl.ndarray.NDArray;

/** Conversions of generated images. */
public final class Images {
  private Images() {}

  /**
   * {@code [-1, 1]} floats to uint8: {@code round((x + 1) * 127.5)} clamped to {@code 0..255}.
   *
   * @param images float32 {@code [N, C, H, W]}
   * @return one CHW byte array per image (read the bytes as unsigned)
   */
  public static byte[][] toUint8(NDArray images) {
    int n = Math.toIntExact(images.getShape().get(0));
    float[] f = images.toFloatArray();
    int per = f.length / Math.max(1, n);
    byte[][] out = new byte[n][per];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < per; j++) {
        float x = f[i * per + j];
        long v = Float.isNaN(x) ? 0 : Math.round((x + 1.0) * 127.5);
        out[i][j] = (byte) Math.max(0, Math.min(255, v));
      }
    }
    return out;
  }
}
