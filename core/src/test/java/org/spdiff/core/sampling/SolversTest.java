package org.spdiff.core.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.spdiff.core.diffusion.GaussianDiffusion;
import org.spdiff.core.diffusion.X0Eps;
import org.spdiff.core.schedule.NoiseSchedule;
import org.spdiff.core.schedule.NoiseSchedules;

/**
 * DPM-Solver++(2M) and Heun against independent float64 implementations of the papers' algorithms
 * on data whose exact denoiser is known: every pixel {@code x0 ~ N(mu, s0^2)} independently, so
 * {@code E[x0 | x_t] = mu + a s0^2 / (a^2 s0^2 + sigma^2) (x_t - a mu)} ({@code a = sqrt(abar_t)},
 * {@code sigma^2 = 1 - abar_t}), and the probability-flow ODE maps {@code x_t} to {@code x0 = mu +
 * (x_t - a mu) s0 / sqrt(a^2 s0^2 + sigma^2)} (from pure noise at zero terminal SNR: {@code mu + s0
 * x_T}).
 */
class SolversTest {
  private static final double MU = 0.3;
  private static final double S0 = 0.5;
  private static final NoiseSchedule ZTSNR = NoiseSchedules.named("scaled-linear", 1000, true);
  private static final NoiseSchedule LINEAR = NoiseSchedules.named("linear", 1000, false);

  /** The exact posterior mean, float64. */
  private static double x0Hat(NoiseSchedule s, long t, double x) {
    double a = Math.sqrt(s.alphaBar(t));
    double var = 1 - s.alphaBar(t);
    return MU + a * S0 * S0 / (a * a * S0 * S0 + var) * (x - a * MU);
  }

  /** The exact posterior mean as a float32 {@link Denoiser}, counting its evaluations. */
  private static final class GaussianDenoiser implements Denoiser {
    private final NoiseSchedule s;
    int evaluations;

    GaussianDenoiser(NoiseSchedule s) {
      this.s = s;
    }

    @Override
    public X0Eps denoise(NDArray xt, long t) {
      evaluations++;
      double a = Math.sqrt(s.alphaBar(t));
      double sig = Math.sqrt(1 - s.alphaBar(t));
      double k = a * S0 * S0 / (a * a * S0 * S0 + sig * sig);
      NDArray x0 = xt.sub((float) (a * MU)).muli((float) k).addi((float) MU);
      NDArray eps = xt.sub(x0.mul((float) a)).divi((float) sig);
      return new X0Eps(x0, eps);
    }
  }

  /** Lu et al. 2022, Algorithm 2 (DPM-Solver++(2M)), float64, in its lambda / expm1 form. */
  private static double refDpm(NoiseSchedule sch, long[] ts, double xT) {
    double x = xT;
    double prev = Double.NaN;
    double hPrev = Double.NaN;
    for (int i = 0; i < ts.length; i++) {
      long t = ts[i];
      long s = i + 1 < ts.length ? ts[i + 1] : 0;
      double d0 = x0Hat(sch, t, x);
      double aS = Math.sqrt(sch.alphaBar(s));
      double sS = Math.sqrt(1 - sch.alphaBar(s));
      if (sch.alphaBar(t) == 0) {
        // lambda_t = -inf: e^-h = 0, sigma_t = 1
        x = sS * x + aS * d0;
        hPrev = Double.POSITIVE_INFINITY;
      } else if (s == 0) {
        x = d0; // sigma_s = 0, alpha_s = 1, e^-h = 0, first order
      } else {
        double lt = 0.5 * Math.log(sch.alphaBar(t) / (1 - sch.alphaBar(t)));
        double ls = 0.5 * Math.log(sch.alphaBar(s) / (1 - sch.alphaBar(s)));
        double h = ls - lt;
        double d = d0;
        if (i > 0 && Double.isFinite(hPrev)) {
          double r = hPrev / h;
          d = (1 + 1 / (2 * r)) * d0 - 1 / (2 * r) * prev;
        }
        x = sS / Math.sqrt(1 - sch.alphaBar(t)) * x - aS * Math.expm1(-h) * d;
        hPrev = h;
      }
      prev = d0;
    }
    return x;
  }

  /**
   * Karras et al. 2022, Algorithm 1 (deterministic), float64, in their variables {@code x~ = x /
   * alpha}, {@code sigma~ = sigma / alpha}; the step from zero SNR is the Euler limit.
   */
  private static double refHeun(NoiseSchedule sch, long[] ts, double xT) {
    double x = xT; // x_t (variance preserving)
    for (int i = 0; i < ts.length; i++) {
      long t = ts[i];
      long s = i + 1 < ts.length ? ts[i + 1] : 0;
      double aS = Math.sqrt(sch.alphaBar(s));
      if (sch.alphaBar(t) == 0) {
        x = Math.sqrt(1 - sch.alphaBar(s)) * x + aS * x0Hat(sch, t, x);
        continue;
      }
      double aT = Math.sqrt(sch.alphaBar(t));
      double sigT = TimestepSpacing.sigma(sch, t);
      double sigS = s == 0 ? 0 : TimestepSpacing.sigma(sch, s);
      double xv = x / aT;
      double d = (xv - x0Hat(sch, t, aT * xv)) / sigT;
      double next = xv + (sigS - sigT) * d;
      if (sigS != 0) {
        double dPrime = (next - x0Hat(sch, s, aS * next)) / sigS;
        next = xv + (sigS - sigT) * (d + dPrime) / 2;
      }
      x = aS * next;
    }
    return x;
  }

  /** DDIM (eta 0), float64. */
  private static double refDdim(NoiseSchedule sch, long[] ts, double xT) {
    double x = xT;
    for (int i = 0; i < ts.length; i++) {
      long t = ts[i];
      long s = i + 1 < ts.length ? ts[i + 1] : 0;
      double x0 = x0Hat(sch, t, x);
      double eps = (x - Math.sqrt(sch.alphaBar(t)) * x0) / Math.sqrt(1 - sch.alphaBar(t));
      x = Math.sqrt(sch.alphaBar(s)) * x0 + Math.sqrt(1 - sch.alphaBar(s)) * eps;
    }
    return x;
  }

  private interface Ref {
    double run(NoiseSchedule s, long[] ts, double xT);
  }

  private static double exact(NoiseSchedule s, long t, double xT) {
    double a = Math.sqrt(s.alphaBar(t));
    return MU + (xT - a * MU) * S0 / Math.sqrt(a * a * S0 * S0 + 1 - s.alphaBar(t));
  }

  @Test
  void solversMatchTheirFloat64ReferenceStepByStep() {
    float[] xT = new float[2 * 3 * 3];
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < xT.length; i++) {
      xT[i] = (float) (r.nextGaussian() * 1.5);
    }
    try (NDManager m = NDManager.newBaseManager()) {
      for (NoiseSchedule sch : List.of(ZTSNR, LINEAR)) {
        GaussianDiffusion diffusion = new GaussianDiffusion(sch);
        for (TimestepSpacing spacing : TimestepSpacing.values()) {
          for (int steps : new int[] {1, 2, 3, 7, 25}) {
            long[] ts = spacing.timesteps(sch, steps);
            for (Sampler sampler : List.<Sampler>of(new DpmSolverPlusPlus2M(), new HeunSampler())) {
              Ref ref = sampler instanceof HeunSampler ? SolversTest::refHeun : SolversTest::refDpm;
              GaussianDenoiser d = new GaussianDenoiser(sch);
              NDArray x = m.create(xT, new Shape(2, 1, 3, 3));
              float[] got =
                  sampler
                      .sample(
                          d,
                          diffusion,
                          ts,
                          x,
                          k -> {
                            throw new AssertionError("deterministic");
                          })
                      .toFloatArray();
              String what = sampler + " " + sch.name() + " " + spacing + " " + steps;
              for (int i = 0; i < xT.length; i++) {
                double want = ref.run(sch, ts, xT[i]);
                // float32 rounding, amplified by alpha_s / alpha_t (up to 160 on 2-step grids)
                assertEquals(want, got[i], 1e-4 * Math.max(1, Math.abs(want)), what + " px " + i);
              }
              assertEquals(sampler.evaluations(sch, ts), d.evaluations, what + " NFE");
            }
          }
        }
      }
    }
  }

  @Test
  void heunCountsTwoEvaluationsPerStepButTheLastAndTheOneFromZeroSnr() {
    long[] ts = TimestepSpacing.TRAILING.timesteps(1000, 10);
    assertEquals(19, new HeunSampler().evaluations(LINEAR, ts));
    assertEquals(18, new HeunSampler().evaluations(ZTSNR, ts));
    assertEquals(1, new HeunSampler().evaluations(ZTSNR, new long[] {1000}));
    assertEquals(10, new DpmSolverPlusPlus2M().evaluations(ZTSNR, ts));
    SamplerConfig heun = SamplerConfig.ddim(10).withSampler("heun", 10);
    assertEquals(18, Samplers.evaluations(heun, ZTSNR));
    assertEquals(2 * 18, Samplers.evaluations(heun.withCfg(1.5, 0), ZTSNR));
  }

  /**
   * The float64 algorithms converge to the exact ODE solution: second order for the solvers away
   * from zero SNR (error down 10x or more from 20 to 80 steps on Karras spacing, DDIM about 4x),
   * and at zero terminal SNR from pure noise every solver's error falls with the step count and
   * stays below DDIM's.
   */
  @Test
  void solversConvergeToTheExactOdeSolution() {
    double xT = 1.3;
    // Away from zero SNR, from x_T at t = T.
    double want = exact(LINEAR, 1000, xT);
    for (Ref ref : List.<Ref>of(SolversTest::refDpm, SolversTest::refHeun)) {
      double e20 =
          Math.abs(ref.run(LINEAR, TimestepSpacing.KARRAS.timesteps(LINEAR, 20), xT) - want);
      double e80 =
          Math.abs(ref.run(LINEAR, TimestepSpacing.KARRAS.timesteps(LINEAR, 80), xT) - want);
      assertTrue(e80 < e20 / 10, "second order: " + e20 + " -> " + e80);
    }
    double d20 = Math.abs(refDdim(LINEAR, TimestepSpacing.KARRAS.timesteps(LINEAR, 20), xT) - want);
    double d80 = Math.abs(refDdim(LINEAR, TimestepSpacing.KARRAS.timesteps(LINEAR, 80), xT) - want);
    assertTrue(d80 > d20 / 6 && d80 < d20 / 2, "DDIM first order: " + d20 + " -> " + d80);
    // Zero terminal SNR, from pure noise: the exact endpoint is mu + s0 x_T.
    double wantZ = MU + S0 * xT;
    assertEquals(wantZ, exact(ZTSNR, 1000, xT), 1e-12);
    for (TimestepSpacing spacing : List.of(TimestepSpacing.TRAILING, TimestepSpacing.KARRAS)) {
      for (Ref ref : List.<Ref>of(SolversTest::refDpm, SolversTest::refHeun)) {
        double last = Double.POSITIVE_INFINITY;
        for (int steps : new int[] {20, 40, 80}) {
          long[] ts = spacing.timesteps(ZTSNR, steps);
          double e = Math.abs(ref.run(ZTSNR, ts, xT) - wantZ);
          double ddim = Math.abs(refDdim(ZTSNR, ts, xT) - wantZ);
          assertTrue(e < last, spacing + " " + steps + " steps: " + e + " after " + last);
          assertTrue(e < ddim, spacing + " " + steps + " steps: " + e + " vs DDIM " + ddim);
          last = e;
        }
        if (spacing == TimestepSpacing.KARRAS) {
          assertTrue(last < 1e-3, "karras 80 steps: " + last);
        }
      }
    }
  }

  @Test
  void karrasSpacingFollowsTheRampInSigma() {
    long[] lin = TimestepSpacing.KARRAS.timesteps(LINEAR, 10);
    assertArrayEquals(new long[] {1000, 938, 865, 776, 664, 512, 302, 103, 19, 1}, lin);
    // Zero terminal SNR: T first, then the ramp from sigma 80 down to sigma_1.
    long[] z = TimestepSpacing.KARRAS.timesteps(ZTSNR, 10);
    assertArrayEquals(new long[] {1000, 973, 953, 914, 843, 714, 489, 186, 23, 1}, z);
    double sigma =
        Math.pow(
            Math.pow(80, 1 / 7.0)
                + (Math.pow(TimestepSpacing.sigma(ZTSNR, 1), 1 / 7.0) - Math.pow(80, 1 / 7.0))
                    * 4
                    / 8.0,
            7);
    assertTrue(
        Math.abs(Math.log(TimestepSpacing.sigma(ZTSNR, z[5]) / sigma))
            <= Math.abs(Math.log(TimestepSpacing.sigma(ZTSNR, z[5] + 1) / sigma)));
    // Collisions at the low end move down: every step is distinct, the last is 1.
    long[] dense = TimestepSpacing.KARRAS.timesteps(LINEAR, 200);
    for (int k = 1; k < dense.length; k++) {
      assertTrue(dense[k] < dense[k - 1]);
    }
    assertEquals(1, dense[dense.length - 1]);
    assertArrayEquals(new long[] {1000}, TimestepSpacing.KARRAS.timesteps(ZTSNR, 1));
  }
}
