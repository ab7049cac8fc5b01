package org.spdiff.core.sampling;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.spdiff.core.schedule.NoiseSchedule;

/**
 * How {@code S} sampling steps are placed among {@code t in 1..T} (Lin et al. 2023, Table 2; that
 * table counts {@code t} from 0, this project from 1, so every value here is the table's + 1). Each
 * result is strictly decreasing; for {@code T = 1000, S = 10}:
 *
 * <ul>
 *   <li>{@code linspace}: {@code round(linspace(1, T, S))}: 1000, 889, ..., 1;
 *   <li>{@code leading}: {@code k (T / S) + 1}: 901, 801, ..., 1;
 *   <li>{@code trailing}: {@code round(T - k T / S)}: 1000, 900, ..., 100 (starts at {@code T}; the
 *       paper's choice with zero terminal SNR).
 *   <li>{@code karras}: Karras et al. 2022, Eq. 5, {@code rho = 7}, in the noise level {@code
 *       sigma_t = sqrt((1 - abar_t) / abar_t)} of the schedule: {@code sigma_k = (sigma_max^(1/rho)
 *       + k / (S - 1) (sigma_min^(1/rho) - sigma_max^(1/rho)))^rho} with {@code sigma_max =
 *       sigma_T}, {@code sigma_min = sigma_1}, each mapped to the timestep of nearest {@code log
 *       sigma} (collisions pushed down by one so the list stays strictly decreasing). With zero
 *       terminal SNR {@code sigma_T} is infinite: the first step is {@code T} itself (pure noise)
 *       and the other {@code S - 1} follow the ramp from {@code min(sigma_{T-1}, 80)} (80 is the
 *       {@code sigma_max} of Karras et al.; {@code sigma_{T-1}} of the rescaled scaled-linear
 *       schedule is 2254, and a ramp from there spends half its steps above {@code t = 960}) to
 *       {@code sigma_1}. Needs the schedule: {@link #timesteps(NoiseSchedule, int)}.
 * </ul>
 */
public enum TimestepSpacing {
  LINSPACE,
  LEADING,
  TRAILING,
  KARRAS;

  /** Karras et al. 2022's {@code rho}. */
  public static final double KARRAS_RHO = 7.0;

  /** Where the Karras ramp starts at most when {@code sigma_T} is infinite (zero terminal SNR). */
  public static final double KARRAS_SIGMA_MAX = 80.0;

  /** The descending sampling timesteps of {@code schedule}, {@code 1 <= S <= T}. */
  public long[] timesteps(NoiseSchedule schedule, int steps) {
    return this == KARRAS ? karras(schedule, steps) : timesteps(schedule.T(), steps);
  }

  /**
   * The descending sampling timesteps, {@code 1 <= S <= T}, of a spacing that depends only on
   * {@code T} (not {@code karras}).
   */
  public long[] timesteps(int T, int steps) {
    if (steps < 1 || steps > T) {
      throw new IllegalArgumentException("steps must be in 1.." + T + ", got " + steps);
    }
    if (this == KARRAS) {
      throw new IllegalArgumentException("karras spacing needs the noise schedule");
    }
    long[] r = new long[steps];
    for (int k = 0; k < steps; k++) {
      long v =
          switch (this) {
            case LINSPACE ->
                steps == 1 ? T : Math.round(1 + (double) (T - 1) * (steps - 1 - k) / (steps - 1));
            case LEADING -> (long) (steps - 1 - k) * (T / steps) + 1;
            case TRAILING -> Math.round(T - (double) k * T / steps);
            case KARRAS -> throw new AssertionError();
          };
      r[k] = v;
    }
    for (int k = 1; k < steps; k++) {
      if (r[k] >= r[k - 1]) {
        throw new IllegalStateException(
            "spacing " + this + " gives repeated timesteps for T=" + T + ", steps=" + steps);
      }
    }
    return r;
  }

  private static long[] karras(NoiseSchedule schedule, int steps) {
    int T = schedule.T();
    if (steps < 1 || steps > T) {
      throw new IllegalArgumentException("steps must be in 1.." + T + ", got " + steps);
    }
    long[] r = new long[steps];
    boolean infinite = schedule.alphaBar(T) <= 0.0;
    int first = infinite ? 1 : 0; // with zero terminal SNR, r[0] = T is fixed
    r[0] = T;
    int ramp = steps - first;
    if (ramp > 0) {
      double top =
          infinite ? Math.min(sigma(schedule, T - 1), KARRAS_SIGMA_MAX) : sigma(schedule, T);
      double sMax = Math.pow(top, 1 / KARRAS_RHO);
      double sMin = Math.pow(sigma(schedule, 1), 1 / KARRAS_RHO);
      for (int i = 0; i < ramp; i++) {
        double frac = ramp == 1 ? 0 : (double) i / (ramp - 1);
        double logSigma = KARRAS_RHO * Math.log(sMax + frac * (sMin - sMax));
        r[first + i] = nearest(schedule, logSigma, infinite ? T - 1 : T);
      }
    }
    // Strictly decreasing and >= 1: collisions move down, then anything below its floor moves up.
    for (int k = 1; k < steps; k++) {
      r[k] = Math.min(r[k], r[k - 1] - 1);
    }
    for (int k = steps - 1; k >= 0; k--) {
      r[k] = Math.max(r[k], k == steps - 1 ? 1 : r[k + 1] + 1);
    }
    return r;
  }

  /** {@code sigma_t = sqrt((1 - abar_t) / abar_t)}, the noise level of Karras et al. */
  static double sigma(NoiseSchedule schedule, long t) {
    double ab = schedule.alphaBar(t);
    return Math.sqrt((1 - ab) / ab);
  }

  /** The timestep in {@code 1..maxT} whose {@code log sigma_t} is nearest {@code logSigma}. */
  private static long nearest(NoiseSchedule schedule, double logSigma, int maxT) {
    long best = 1;
    double bestD = Double.POSITIVE_INFINITY;
    for (int t = 1; t <= maxT; t++) {
      double d = Math.abs(Math.log(sigma(schedule, t)) - logSigma);
      if (d < bestD) {
        bestD = d;
        best = t;
      }
    }
    return best;
  }

  @JsonValue
  public String spec() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static TimestepSpacing parse(String s) {
    for (TimestepSpacing v : values()) {
      if (v.name().equalsIgnoreCase(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "unknown timestep spacing '" + s + "' (linspace, leading, trailing, karras)");
  }
}
