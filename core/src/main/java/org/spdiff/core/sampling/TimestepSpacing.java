package org.spdiff.core.sampling;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

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
 * </ul>
 */
public enum TimestepSpacing {
  LINSPACE,
  LEADING,
  TRAILING;

  /** The descending sampling timesteps, {@code 1 <= S <= T}. */
  public long[] timesteps(int T, int steps) {
    if (steps < 1 || steps > T) {
      throw new IllegalArgumentException("steps must be in 1.." + T + ", got " + steps);
    }
    long[] r = new long[steps];
    for (int k = 0; k < steps; k++) {
      long v =
          switch (this) {
            case LINSPACE ->
                steps == 1 ? T : Math.round(1 + (double) (T - 1) * (steps - 1 - k) / (steps - 1));
            case LEADING -> (long) (steps - 1 - k) * (T / steps) + 1;
            case TRAILING -> Math.round(T - (double) k * T / steps);
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
        "unknown timestep spacing '" + s + "' (linspace, leading, trailing)");
  }
}
