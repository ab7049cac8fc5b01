package org.spdiff.core.timestep;

import java.util.Arrays;
import java.util.Locale;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Named timestep samplers:
 *
 * <ul>
 *   <li>{@code uniform}: {@code t ~ U{1..T}} (the paper, for both {@code t} and {@code t'});
 *   <li>{@code range(a,b)}: {@code t ~ U{a+1..b}}, {@code 0 <= a < b <= T}: the half-open interval
 *       {@code [a, b)} of 0-based timestep indices (the diffusers convention), so {@code
 *       range(0,500)} and {@code range(500,1000)} split {@code 1..1000} into two equal halves;
 *   <li>{@code logit-normal(m,s)}: {@code u ~ N(m, s^2)}, {@code t = round(sigmoid(u) (T-1)) + 1}
 *       (Esser et al. 2024's logit-normal density mapped onto {@code 1..T}), {@code s > 0};
 *   <li>{@code fixed(k)}: {@code t = k}, {@code 1 <= k <= T};
 *   <li>{@code equal}: {@code t' = t} (only for {@code t'}: it needs the online timesteps).
 * </ul>
 */
public final class TimestepSamplers {
  private static final Pattern CALL = Pattern.compile("([a-z-]+)\\s*(?:\\(\\s*([^)]*)\\s*\\))?");

  private TimestepSamplers() {}

  /**
   * Parses a spec for a schedule of {@code T} steps.
   *
   * @throws IllegalArgumentException naming the spec and the reason
   */
  public static TimestepSampler parse(String spec, int T) {
    if (spec == null) {
      throw new IllegalArgumentException("timestep sampler spec is missing");
    }
    Matcher m = CALL.matcher(spec.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw bad(spec, "not of the form name or name(args)");
    }
    String name = m.group(1);
    double[] args = args(spec, m.group(2));
    return switch (name) {
      case "uniform" -> {
        arity(spec, args, 0);
        yield new Range(1, T, "uniform");
      }
      case "range" -> {
        arity(spec, args, 2);
        long a = integer(spec, args[0]);
        long b = integer(spec, args[1]);
        if (a < 0 || b > T || a >= b) {
          throw bad(spec, "needs 0 <= a < b <= T = " + T + " (t is drawn from a+1..b)");
        }
        yield new Range(a + 1, b, "range(" + a + "," + b + ")");
      }
      case "logit-normal" -> {
        arity(spec, args, 2);
        if (!(args[1] > 0) || !Double.isFinite(args[0]) || !Double.isFinite(args[1])) {
          throw bad(spec, "needs a finite mean and a standard deviation > 0");
        }
        yield new LogitNormal(args[0], args[1], T);
      }
      case "fixed" -> {
        arity(spec, args, 1);
        long k = integer(spec, args[0]);
        if (k < 1 || k > T) {
          throw bad(spec, "needs 1 <= k <= T = " + T);
        }
        yield new Range(k, k, "fixed(" + k + ")");
      }
      case "equal" -> {
        arity(spec, args, 0);
        yield new Equal();
      }
      default ->
          throw bad(
              spec, "unknown sampler (uniform, range(a,b), logit-normal(m,s), fixed(k), equal)");
    };
  }

  /** Parses a sampler for the online {@code t}: {@code equal} is rejected. */
  public static TimestepSampler parseOnline(String spec, int T) {
    TimestepSampler s = parse(spec, T);
    if (s instanceof Equal) {
      throw bad(spec, "'equal' is only valid for t' (it copies the online t)");
    }
    return s;
  }

  /**
   * Whether {@code tPrime} draws the online {@code t} itself for every sample: {@code equal}, or
   * both fixed at the same step.
   */
  public static boolean alwaysEqual(TimestepSampler t, TimestepSampler tPrime) {
    if (tPrime instanceof Equal) {
      return true;
    }
    return t instanceof Range a
        && tPrime instanceof Range b
        && a.a() == a.b()
        && b.a() == b.b()
        && a.a() == b.a();
  }

  private static IllegalArgumentException bad(String spec, String why) {
    return new IllegalArgumentException("bad timestep sampler '" + spec + "': " + why);
  }

  private static double[] args(String spec, String list) {
    if (list == null) {
      return new double[0];
    }
    if (list.isBlank()) {
      return new double[0];
    }
    String[] parts = list.split(",");
    double[] r = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        r[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw bad(spec, "argument '" + parts[i].trim() + "' is not a number");
      }
    }
    return r;
  }

  private static void arity(String spec, double[] args, int n) {
    if (args.length != n) {
      throw bad(spec, "expects " + n + " argument(s), got " + args.length);
    }
  }

  private static long integer(String spec, double v) {
    if (v != Math.rint(v) || Math.abs(v) > 1e15) {
      throw bad(spec, "argument " + v + " is not an integer");
    }
    return (long) v;
  }

  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** Uniform over {@code a..b} inclusive ({@code uniform}, {@code range}, {@code fixed}). */
  record Range(long a, long b, String spec) implements TimestepSampler {
    @Override
    public long[] sample(int n, RandomGenerator rng, long[] tOnline) {
      long[] t = new long[n];
      for (int i = 0; i < n; i++) {
        t[i] = a == b ? a : rng.nextLong(a, b + 1);
      }
      return t;
    }
  }

  /** {@code t = round(sigmoid(N(m, s^2)) (T-1)) + 1}. */
  record LogitNormal(double mean, double std, int T) implements TimestepSampler {
    @Override
    public long[] sample(int n, RandomGenerator rng, long[] tOnline) {
      long[] t = new long[n];
      for (int i = 0; i < n; i++) {
        double u = mean + std * rng.nextGaussian();
        double sig = 1.0 / (1.0 + Math.exp(-u));
        t[i] = Math.round(sig * (T - 1)) + 1;
      }
      return t;
    }

    @Override
    public String spec() {
      return "logit-normal(" + num(mean) + "," + num(std) + ")";
    }
  }

  /** {@code t' = t}. */
  record Equal() implements TimestepSampler {
    @Override
    public long[] sample(int n, RandomGenerator rng, long[] tOnline) {
      if (tOnline == null || tOnline.length != n) {
        throw new IllegalStateException("'equal' needs the online timesteps of the batch");
      }
      return Arrays.copyOf(tOnline, n);
    }

    @Override
    public String spec() {
      return "equal";
    }
  }
}
