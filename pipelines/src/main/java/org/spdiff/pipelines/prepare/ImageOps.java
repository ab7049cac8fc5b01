package org.spdiff.pipelines.prepare;

/**
 * Pure pixel conversions on uint8 CHW arrays, deterministic across JVMs (plain {@code double}
 * arithmetic in a fixed order; no AWT rendering).
 *
 * <ul>
 *   <li>Channels: 3 to 1 is ITU-R BT.601 luma {@code 0.299R + 0.587G + 0.114B}, rounded half up
 *       (computed exactly as {@code (299R + 587G + 114B + 500) / 1000}); 1 to 3 replicates gray.
 *   <li>Crop: the centred square of side {@code min(h, w)}; an odd excess leaves the extra row or
 *       column at the bottom/right ({@code top = (h - side) / 2}, {@code left = (w - side) / 2}).
 *   <li>Resize of a square side {@code s} to {@code r}: shrinking ({@code r < s}) averages the area
 *       each output pixel covers (a box filter with fractional edge weights, antialiased);
 *       enlarging ({@code r > s}) is bilinear with pixel centres at {@code (o + 0.5) * s / r -
 *       0.5}, clamped at the borders. Rows first, then columns; intermediate values stay unrounded;
 *       the result is rounded half up and clamped to 0..255. {@code r == s} returns the input
 *       unchanged. Images are never padded.
 * </ul>
 */
public final class ImageOps {
  private ImageOps() {}

  /** BT.601 luma of one RGB pixel, rounded half up. */
  public static int luma(int r, int g, int b) {
    return (299 * r + 587 * g + 114 * b + 500) / 1000;
  }

  /** Converts a CHW image from {@code cIn} to {@code cOut} channels (each 1 or 3). */
  public static byte[] toChannels(byte[] chw, int h, int w, int cIn, int cOut) {
    if (cIn == cOut) {
      return chw;
    }
    int n = h * w;
    if (cIn == 3 && cOut == 1) {
      byte[] out = new byte[n];
      for (int i = 0; i < n; i++) {
        out[i] = (byte) luma(chw[i] & 0xFF, chw[n + i] & 0xFF, chw[2 * n + i] & 0xFF);
      }
      return out;
    }
    if (cIn == 1 && cOut == 3) {
      byte[] out = new byte[3 * n];
      System.arraycopy(chw, 0, out, 0, n);
      System.arraycopy(chw, 0, out, n, n);
      System.arraycopy(chw, 0, out, 2 * n, n);
      return out;
    }
    throw new IllegalArgumentException("cannot convert " + cIn + " to " + cOut + " channels");
  }

  /** The centred {@code min(h,w)} square of a CHW image. */
  public static byte[] centreCrop(byte[] chw, int h, int w, int c) {
    int side = Math.min(h, w);
    if (h == w) {
      return chw;
    }
    int top = (h - side) / 2;
    int left = (w - side) / 2;
    byte[] out = new byte[c * side * side];
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < side; y++) {
        System.arraycopy(
            chw, ch * h * w + (top + y) * w + left, out, ch * side * side + y * side, side);
      }
    }
    return out;
  }

  /** Resizes a square CHW image of side {@code s} to side {@code r} (see class comment). */
  public static byte[] resizeSquare(byte[] chw, int c, int s, int r) {
    if (s == r) {
      return chw;
    }
    Taps taps = taps(s, r);
    int ss = s * s;
    byte[] out = new byte[c * r * r];
    double[] rows = new double[s * r]; // s rows of r columns
    for (int ch = 0; ch < c; ch++) {
      int base = ch * ss;
      for (int y = 0; y < s; y++) {
        for (int ox = 0; ox < r; ox++) {
          double acc = 0;
          int[] idx = taps.index[ox];
          double[] wt = taps.weight[ox];
          for (int k = 0; k < idx.length; k++) {
            acc += wt[k] * (chw[base + y * s + idx[k]] & 0xFF);
          }
          rows[y * r + ox] = acc;
        }
      }
      for (int oy = 0; oy < r; oy++) {
        int[] idx = taps.index[oy];
        double[] wt = taps.weight[oy];
        for (int ox = 0; ox < r; ox++) {
          double acc = 0;
          for (int k = 0; k < idx.length; k++) {
            acc += wt[k] * rows[idx[k] * r + ox];
          }
          out[ch * r * r + oy * r + ox] = (byte) round255(acc);
        }
      }
    }
    return out;
  }

  /** Round half up and clamp to 0..255. */
  static int round255(double v) {
    int i = (int) Math.floor(v + 0.5);
    return i < 0 ? 0 : Math.min(i, 255);
  }

  /** Per output position: source indices and weights (summing to 1). */
  private record Taps(int[][] index, double[][] weight) {}

  private static Taps taps(int s, int r) {
    int[][] index = new int[r][];
    double[][] weight = new double[r][];
    if (r < s) {
      // Area average: output o covers source [o*s/r, (o+1)*s/r).
      for (int o = 0; o < r; o++) {
        double lo = (double) o * s / r;
        double hi = (double) (o + 1) * s / r;
        int first = (int) Math.floor(lo);
        int last = Math.min(s - 1, (int) Math.ceil(hi) - 1);
        int n = last - first + 1;
        index[o] = new int[n];
        weight[o] = new double[n];
        double scale = (double) r / s;
        for (int k = 0; k < n; k++) {
          int i = first + k;
          double cover = Math.min(hi, i + 1) - Math.max(lo, i);
          index[o][k] = i;
          weight[o][k] = cover * scale;
        }
      }
    } else {
      for (int o = 0; o < r; o++) {
        double src = (o + 0.5) * s / r - 0.5;
        if (src < 0) {
          src = 0;
        }
        if (src > s - 1) {
          src = s - 1;
        }
        int i0 = (int) Math.floor(src);
        int i1 = Math.min(i0 + 1, s - 1);
        double t = src - i0;
        index[o] = new int[] {i0, i1};
        weight[o] = new double[] {1 - t, t};
      }
    }
    return new Taps(index, weight);
  }
}
