package org.spdiff.metrics.inception;

/**
 * PyTorch's {@code F.interpolate(mode="bilinear", align_corners=False)} without antialiasing (what
 * pytorch-fid applies before the Inception), written as two interpolation matrices: {@code out =
 * R_h x R_w^T} per channel, with {@code R} of shape (out, in). Row o of R has weight {@code 1 - l}
 * at {@code i0} and {@code l} at {@code i0 + 1} (clamped), where {@code src = max((o + 0.5) in /
 * out - 0.5, 0)}, {@code i0 = floor(src)}, {@code l = src - i0}, in float32 as PyTorch's CPU
 * kernel.
 */
public final class BilinearResize {
  private BilinearResize() {}

  /** The (out, in) interpolation matrix, row-major. Identity when {@code in == out}. */
  public static float[] matrix(int in, int out) {
    float[] r = new float[out * in];
    float scale = (float) in / out;
    for (int o = 0; o < out; o++) {
      float src = scale * (o + 0.5f) - 0.5f;
      if (src < 0) {
        src = 0;
      }
      int i0 = (int) src;
      int i1 = i0 < in - 1 ? i0 + 1 : i0;
      float l1 = src - i0;
      float l0 = 1f - l1;
      r[o * in + i0] += l0;
      r[o * in + i1] += l1;
    }
    return r;
  }
}
