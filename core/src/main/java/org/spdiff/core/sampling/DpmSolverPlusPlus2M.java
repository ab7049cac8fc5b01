package org.spdiff.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import org.spdiff.core.diffusion.GaussianDiffusion;
import org.spdiff.core.schedule.NoiseSchedule;

/**
 * DPM-Solver++(2M) (Lu et al. 2022, "DPM-Solver++: Fast Solver for Guided Sampling of Diffusion
 * Probabilistic Models", Algorithm 2): the multistep second-order solver of the diffusion ODE in
 * its data-prediction form, one denoiser evaluation per step. With {@code alpha = sqrt(abar)},
 * {@code sigma = sqrt(1 - abar)}, {@code lambda = log(alpha / sigma)}, from timestep {@code t} to
 * the next {@code s} ({@code 0} after the last), {@code h = lambda_s - lambda_t}:
 *
 * <pre>
 * x_s = (sigma_s / sigma_t) x_t - alpha_s (e^-h - 1) D
 *     = (sigma_s / sigma_t) x_t + (alpha_s - alpha_t sigma_s / sigma_t) D
 * D   = x0_hat_t                                            (first order: the first step, the last)
 * D   = (1 + 1 / (2 r)) x0_hat_t - 1 / (2 r) x0_hat_prev,   r = h_prev / h   (otherwise)
 * </pre>
 *
 * <p>The first-order update is the DDIM step ({@code eta = 0}). The last step, to {@code abar_0 =
 * 1}, has {@code h = infinity} and is first order ({@code x_0 = x0_hat}), as in k-diffusion's
 * {@code sample_dpmpp_2m}.
 *
 * <p>Zero terminal SNR: at {@code abar_T = 0}, {@code lambda_T = -infinity}. The first step from
 * pure noise is the exact limit of the first-order update, {@code x_s = sigma_s x_T + alpha_s
 * x0_hat(x_T)}, written with the second form above, which has no infinite terms. The next step's
 * ratio {@code r = h_prev / h} is then infinite and its correction {@code 1 / (2 r)} is zero: the
 * second step is first order too (a line through a point at {@code lambda = -infinity} has no
 * slope), and the second-order corrections start at the third step.
 */
public final class DpmSolverPlusPlus2M implements Sampler {
  public static final String NAME = "dpm++2m";

  @Override
  public NDArray sample(
      Denoiser denoiser,
      GaussianDiffusion diffusion,
      long[] timesteps,
      NDArray xT,
      StepNoise noise) {
    NoiseSchedule schedule = diffusion.schedule();
    NDArray x = xT;
    NDArray prevX0 = null;
    for (int k = 0; k < timesteps.length; k++) {
      long t = timesteps[k];
      long s = k + 1 < timesteps.length ? timesteps[k + 1] : 0;
      double ratio = k == 0 ? Double.NaN : ratio(schedule, timesteps[k - 1], t, s);
      NDArray next;
      NDArray x0;
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        x0 = denoiser.denoise(x, t).x0();
        NDArray d;
        if (prevX0 == null || s == 0 || Double.isInfinite(ratio)) {
          d = x0;
        } else {
          double c = 1 / (2 * ratio);
          d = x0.mul((float) (1 + c)).subi(prevX0.mul((float) c));
        }
        Coef coef = coef(schedule, t, s);
        next = x.mul((float) coef.x()).addi(d.mul((float) coef.d()));
        NDScope.unregister(next, x0);
      }
      if (x != xT) {
        x.close();
      }
      if (prevX0 != null) {
        prevX0.close();
      }
      prevX0 = x0;
      x = next;
    }
    if (prevX0 != null) {
      prevX0.close();
    }
    return x;
  }

  /** The update's coefficients on {@code x_t} and on {@code D}. */
  record Coef(double x, double d) {}

  static Coef coef(NoiseSchedule schedule, long t, long s) {
    double aT = Math.sqrt(schedule.alphaBar(t));
    double sT = Math.sqrt(1 - schedule.alphaBar(t));
    double aS = Math.sqrt(schedule.alphaBar(s));
    double sS = Math.sqrt(1 - schedule.alphaBar(s));
    return new Coef(sS / sT, aS - aT * sS / sT);
  }

  /** {@code lambda_t = log(alpha_t / sigma_t)}: {@code -infinity} at zero SNR. */
  static double lambda(NoiseSchedule schedule, long t) {
    double ab = schedule.alphaBar(t);
    return 0.5 * (Math.log(ab) - Math.log1p(-ab));
  }

  /** {@code r = h_prev / h = (lambda_t - lambda_prev) / (lambda_s - lambda_t)}. */
  static double ratio(NoiseSchedule schedule, long prev, long t, long s) {
    double lt = lambda(schedule, t);
    return (lt - lambda(schedule, prev)) / (lambda(schedule, s) - lt);
  }

  @Override
  public String toString() {
    return NAME;
  }
}
