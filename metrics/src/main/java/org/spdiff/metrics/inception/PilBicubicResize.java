package org.spdiff.metrics.inception;

/**
 * PIL's antialiased bicubic resampling of one float32 channel ({@code Image.resize(size,
 * Image.BICUBIC)} on a mode {@code "F"} image, Pillow's {@code Resample.c}), the resize clean-fid
 * recommends (Parmar et al., "On Aliased Resizing and Surprising Subtleties in GAN Evaluation",
 * CVPR 2022).
 *
 * <p>Separable, in PIL's order: a horizontal pass, then a vertical pass on its float32 result; each
 * output is {@code sum_x in[x] k[x]} accumulated in double from the first tap and stored as
 * float32. Per axis, with {@code scale = in / out} and {@code fs = max(scale, 1)} (the filter
 * widens by the downscale factor, which is the antialiasing), output {@code o} has centre {@code c
 * = (o + 0.5) scale}, taps {@code x} from {@code (int)(c - 2 fs + 0.5)} (at least 0) to {@code
 * (int)(c + 2 fs + 0.5)} (at most {@code in}), exclusive, weights {@code k(x) = bicubic((x - c +
 * 0.5) / fs)} with Keys' kernel at {@code a = -0.5}, normalised to sum 1. An axis whose size does
 * not change is not resampled, and an unchanged image is returned as is (PIL returns a copy).
 */
public final class PilBicubicResize {
  /** Keys' cubic convolution parameter as PIL uses it. */
  static final double A = -0.5;

  /** Kernel support in input pixels at scale 1. */
  static final double SUPPORT = 2.0;

  private PilBicubicResize() {}

  /** PIL's {@code bicubic_filter}. */
  static double bicubic(double x) {
    if (x < 0.0) {
      x = -x;
    }
    if (x < 1.0) {
      return ((A + 2.0) * x - (A + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * A;
    }
    return 0.0;
  }

  /**
   * The taps of one axis (PIL's {@code precompute_coeffs}).
   *
   * @param first first input index of each output
   * @param count number of taps of each output
   * @param weights {@code count[o]} normalised weights of output {@code o} from {@code o * ksize}
   * @param ksize stride of {@code weights}
   */
  record Taps(int[] first, int[] count, double[] weights, int ksize) {}

  static Taps taps(int in, int out) {
    double scale = (double) in / out;
    double filterscale = Math.max(scale, 1.0);
    double support = SUPPORT * filterscale;
    int ksize = (int) Math.ceil(support) * 2 + 1;
    int[] first = new int[out];
    int[] count = new int[out];
    double[] k = new double[out * ksize];
    for (int o = 0; o < out; o++) {
      double centre = (o + 0.5) * scale;
      double ss = 1.0 / filterscale;
      int xmin = (int) (centre - support + 0.5);
      if (xmin < 0) {
        xmin = 0;
      }
      int xmax = (int) (centre + support + 0.5);
      if (xmax > in) {
        xmax = in;
      }
      xmax -= xmin;
      double ww = 0.0;
      for (int x = 0; x < xmax; x++) {
        double w = bicubic((x + xmin - centre + 0.5) * ss);
        k[o * ksize + x] = w;
        ww += w;
      }
      for (int x = 0; x < xmax; x++) {
        if (ww != 0.0) {
          k[o * ksize + x] /= ww;
        }
      }
      first[o] = xmin;
      count[o] = xmax;
    }
    return new Taps(first, count, k, ksize);
  }

  /**
   * Resizes one channel.
   *
   * @param in (h, w) row-major
   * @return (outH, outW) row-major, not clipped (bicubic overshoots the input's range)
   */
  public static float[] resize(float[] in, int h, int w, int outH, int outW) {
    if (in.length != h * w) {
      throw new IllegalArgumentException("expected " + h + "x" + w + " values, got " + in.length);
    }
    float[] x = in;
    int cols = w;
    if (outW != w) {
      Taps t = taps(w, outW);
      float[] y = new float[h * outW];
      for (int r = 0; r < h; r++) {
        int row = r * w;
        for (int o = 0; o < outW; o++) {
          double ss = 0.0;
          int base = o * t.ksize();
          int x0 = row + t.first()[o];
          for (int j = 0; j < t.count()[o]; j++) {
            ss += x[x0 + j] * t.weights()[base + j];
          }
          y[r * outW + o] = (float) ss;
        }
      }
      x = y;
      cols = outW;
    }
    if (outH != h) {
      Taps t = taps(h, outH);
      float[] y = new float[outH * cols];
      double[] ss = new double[cols];
      for (int o = 0; o < outH; o++) {
        java.util.Arrays.fill(ss, 0.0);
        int base = o * t.ksize();
        for (int j = 0; j < t.count()[o]; j++) {
          double k = t.weights()[base + j];
          int row = (t.first()[o] + j) * cols;
          for (int c = 0; c < cols; c++) {
            ss[c] += x[row + c] * k;
          }
        }
        for (int c = 0; c < cols; c++) {
          y[o * cols + c] = (float) ss[c];
        }
      }
      x = y;
    }
    return x == in ? in.clone() : x;
  }

  /** Clips to [0, 255] in place, as clean-fid does after the resize. */
  public static float[] clip255(float[] v) {
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.min(255f, Math.max(0f, v[i]));
    }
    return v;
  }
}
