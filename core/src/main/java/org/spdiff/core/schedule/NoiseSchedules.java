package org.spdiff.core.schedule;

import java.util.Locale;

/** Named noise schedules. */
public final class NoiseSchedules {
  private NoiseSchedules() {}

  /**
   * A named schedule.
   *
   * <ul>
   *   <li>{@code linear}: DDPM (Ho et al. 2020), {@code beta} linear from {@code 1e-4} to {@code
   *       0.02} when {@code T = 1000}; for other {@code T} the endpoints are scaled by {@code
   *       1000/T} as in improved-DDPM.
   *   <li>{@code cosine}: Nichol &amp; Dhariwal 2021, {@code abar(t) = f(t)/f(0)}, {@code f(t) =
   *       cos^2((t/T + s)/(1 + s) * pi/2)}, {@code s = 0.008}, betas clipped at 0.999.
   *   <li>{@code scaled-linear}: Stable Diffusion, {@code sqrt(beta)} linear from {@code
   *       sqrt(0.00085)} to {@code sqrt(0.012)}.
   * </ul>
   *
   * @param zeroTerminalSnr rescale per Lin et al. 2023 Algorithm 1 so that {@code abar_T = 0}
   *     exactly and {@code abar_1} is unchanged
   */
  public static NoiseSchedule named(String name, int T, boolean zeroTerminalSnr) {
    if (T < 2) {
      throw new IllegalArgumentException("schedule '" + name + "': T must be >= 2, got " + T);
    }
    String key = name.toLowerCase(Locale.ROOT);
    double[] betas =
        switch (key) {
          case "linear" -> linear(T);
          case "cosine" -> cosine(T);
          case "scaled-linear", "scaled_linear" -> scaledLinear(T, 0.00085, 0.012);
          default ->
              throw new IllegalArgumentException(
                  "unknown schedule '" + name + "' (known: linear, cosine, scaled-linear)");
        };
    String label = key + (zeroTerminalSnr ? "+zero-terminal-snr" : "");
    NoiseSchedule s = new NoiseSchedule(label, betas);
    return zeroTerminalSnr ? rescaleZeroTerminalSnr(s) : s;
  }

  public static NoiseSchedule named(String name, int T) {
    return named(name, T, false);
  }

  static double[] linear(int T) {
    double scale = 1000.0 / T;
    return linspace(scale * 1e-4, scale * 0.02, T);
  }

  static double[] scaledLinear(int T, double start, double end) {
    double[] r = linspace(Math.sqrt(start), Math.sqrt(end), T);
    for (int i = 0; i < T; i++) {
      r[i] = r[i] * r[i];
    }
    return r;
  }

  static double[] cosine(int T) {
    double s = 0.008;
    double[] betas = new double[T];
    for (int i = 0; i < T; i++) {
      double a1 = cosineF(i / (double) T, s);
      double a2 = cosineF((i + 1) / (double) T, s);
      betas[i] = Math.min(1.0 - a2 / a1, 0.999);
    }
    return betas;
  }

  private static double cosineF(double u, double s) {
    double c = Math.cos((u + s) / (1 + s) * Math.PI / 2);
    return c * c;
  }

  private static double[] linspace(double a, double b, int n) {
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = n == 1 ? a : a + (b - a) * i / (n - 1);
    }
    return r;
  }

  /**
   * Lin et al. 2023, Algorithm 1: shift and scale {@code sqrt(abar)} so that the last value is 0
   * and the first is unchanged, then rebuild the betas. The result has {@code beta_T = 1}.
   */
  public static NoiseSchedule rescaleZeroTerminalSnr(NoiseSchedule s) {
    double[] abar = s.alphasCumprod();
    int T = abar.length;
    double[] sq = new double[T];
    for (int i = 0; i < T; i++) {
      sq[i] = Math.sqrt(abar[i]);
    }
    double first = sq[0];
    double last = sq[T - 1];
    double[] out = new double[T];
    for (int i = 0; i < T; i++) {
      double v = (sq[i] - last) * first / (first - last);
      out[i] = v * v;
    }
    out[0] = abar[0]; // exactly unchanged
    out[T - 1] = 0.0; // exactly zero
    String name =
        s.name().endsWith("+zero-terminal-snr") ? s.name() : s.name() + "+zero-terminal-snr";
    return NoiseSchedule.fromAlphasCumprod(name, out);
  }
}
