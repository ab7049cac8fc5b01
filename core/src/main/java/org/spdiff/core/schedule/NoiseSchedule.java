package org.spdiff.core.schedule;

import java.util.Arrays;

/**
 * A discrete variance schedule in float64, indexed by {@code t in 1..T}.
 *
 * <p>{@code alpha_t = 1 - beta_t}, {@code abar_t = prod_{s<=t} alpha_s}. By convention {@code
 * abar_0 = 1} (the clean image), which the last DDIM/DDPM step targets. Index 0 of the internal
 * tables holds that convention ({@code beta_0 = 0}).
 */
public final class NoiseSchedule {
  private final String name;
  private final double[] betas;
  private final double[] alphasCumprod;

  /**
   * @param name a label for logs and checkpoints
   * @param betas {@code beta_1..beta_T}, each in {@code (0, 1]} ({@code beta_T = 1} only for a
   *     zero-terminal-SNR schedule)
   */
  public NoiseSchedule(String name, double[] betas) {
    if (betas.length < 1) {
      throw new IllegalArgumentException("a schedule needs T >= 1 betas");
    }
    this.name = name;
    this.betas = new double[betas.length + 1];
    this.alphasCumprod = new double[betas.length + 1];
    alphasCumprod[0] = 1.0;
    double prod = 1.0;
    for (int t = 1; t <= betas.length; t++) {
      double b = betas[t - 1];
      if (!(b > 0.0 && b <= 1.0)) {
        throw new IllegalArgumentException("beta_" + t + " = " + b + " is outside (0, 1]");
      }
      this.betas[t] = b;
      prod *= 1.0 - b;
      alphasCumprod[t] = prod;
    }
  }

  /**
   * Schedule built directly from {@code abar_1..abar_T} (used by the zero-terminal-SNR rescale).
   */
  static NoiseSchedule fromAlphasCumprod(String name, double[] abar) {
    double[] betas = new double[abar.length];
    double prev = 1.0;
    for (int i = 0; i < abar.length; i++) {
      betas[i] = 1.0 - abar[i] / prev;
      prev = abar[i];
    }
    NoiseSchedule s = new NoiseSchedule(name, betas);
    // Keep the given abar exactly (the product of 1 - beta may differ in the last bit).
    System.arraycopy(abar, 0, s.alphasCumprod, 1, abar.length);
    return s;
  }

  public String name() {
    return name;
  }

  /** Number of diffusion steps {@code T}. */
  public int T() {
    return betas.length - 1;
  }

  public double beta(long t) {
    return betas[check(t, 1)];
  }

  public double alpha(long t) {
    return 1.0 - betas[check(t, 1)];
  }

  /** {@code abar_t} for {@code t in 0..T}; {@code abar_0 = 1}. */
  public double alphaBar(long t) {
    return alphasCumprod[check(t, 0)];
  }

  public double sqrtAlphaBar(long t) {
    return Math.sqrt(alphaBar(t));
  }

  public double sqrtOneMinusAlphaBar(long t) {
    return Math.sqrt(1.0 - alphaBar(t));
  }

  /** Signal-to-noise ratio {@code abar_t / (1 - abar_t)}; 0 at a zero-terminal-SNR {@code T}. */
  public double snr(long t) {
    double a = alphaBar(t);
    return a / (1.0 - a);
  }

  /** {@code beta_1..beta_T} (a copy, index 0 = t 1). */
  public double[] betas() {
    return Arrays.copyOfRange(betas, 1, betas.length);
  }

  /** {@code alpha_1..alpha_T} (a copy, index 0 = t 1). */
  public double[] alphas() {
    double[] a = betas();
    for (int i = 0; i < a.length; i++) {
      a[i] = 1.0 - a[i];
    }
    return a;
  }

  /** {@code abar_1..abar_T} (a copy, index 0 = t 1). */
  public double[] alphasCumprod() {
    return Arrays.copyOfRange(alphasCumprod, 1, alphasCumprod.length);
  }

  private int check(long t, int min) {
    if (t < min || t > T()) {
      throw new IllegalArgumentException("timestep " + t + " outside " + min + ".." + T());
    }
    return (int) t;
  }

  @Override
  public String toString() {
    return "NoiseSchedule[" + name + ", T=" + T() + "]";
  }
}
