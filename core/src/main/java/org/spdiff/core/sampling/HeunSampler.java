package org.spdiff.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import org.spdiff.core.diffusion.GaussianDiffusion;
import org.spdiff.core.schedule.NoiseSchedule;

/**
 * Heun's second-order method for the probability-flow ODE (Karras et al. 2022, "Elucidating the
 * Design Space of Diffusion-Based Generative Models", Algorithm 1, deterministic: no churn). Karras
 * et al. work in {@code x~ = x_t / alpha_t} and {@code sigma~_t = sigma_t / alpha_t = sqrt((1 -
 * abar_t) / abar_t)}, where the ODE is {@code dx~/dsigma~ = (x~ - D(x~; sigma~)) / sigma~ =
 * eps_hat}. From {@code t} to the next timestep {@code s}:
 *
 * <pre>
 * d      = (x~_t - x0_hat_t) / sigma~_t                    (= eps_hat at x_t)
 * x~'    = x~_t + (sigma~_s - sigma~_t) d                  (Euler)
 * d'     = (x~' - x0_hat(x', s)) / sigma~_s                (only if sigma~_s > 0)
 * x~_s   = x~_t + (sigma~_s - sigma~_t) (d + d') / 2       (trapezoid)
 * </pre>
 *
 * <p>Written back in {@code x_t = alpha_t x~}, with the derivatives from the denoiser's {@code
 * x0_hat} ({@code d = (x_t - alpha_t x0_hat) / sigma_t}), the Euler step is {@code x' = (sigma_s /
 * sigma_t) x_t + (alpha_s - alpha_t sigma_s / sigma_t) x0_hat}, i.e. DDIM; the corrected step is
 * {@code x_s = alpha_s (x_t / alpha_t + (sigma~_s - sigma~_t) (d + d') / 2)}.
 *
 * <p>The last step, to {@code sigma~ = 0}, is Euler ({@code x_0 = x0_hat}), as in Algorithm 1. With
 * zero terminal SNR ({@code abar_T = 0}, {@code sigma~_T = infinity}) the first interval is
 * infinitely long and the trapezoid is undefined, so the first step from pure noise is the exact
 * limit of the Euler step, {@code x_s = sigma_s x_T + alpha_s x0_hat(x_T)} (one evaluation).
 * Network evaluations: 2 per step, 1 for the last step and for a first step from zero SNR ({@link
 * #evaluations}).
 */
public final class HeunSampler implements Sampler {
  public static final String NAME = "heun";

  @Override
  public NDArray sample(
      Denoiser denoiser,
      GaussianDiffusion diffusion,
      long[] timesteps,
      NDArray xT,
      StepNoise noise) {
    NoiseSchedule schedule = diffusion.schedule();
    NDArray x = xT;
    for (int k = 0; k < timesteps.length; k++) {
      long t = timesteps[k];
      long s = k + 1 < timesteps.length ? timesteps[k + 1] : 0;
      NDArray next;
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray x0 = denoiser.denoise(x, t).x0();
        DpmSolverPlusPlus2M.Coef euler = DpmSolverPlusPlus2M.coef(schedule, t, s);
        NDArray pred = x.mul((float) euler.x()).addi(x0.mul((float) euler.d()));
        if (corrected(schedule, t, s)) {
          double aT = Math.sqrt(schedule.alphaBar(t));
          double sT = Math.sqrt(1 - schedule.alphaBar(t));
          double aS = Math.sqrt(schedule.alphaBar(s));
          double sS = Math.sqrt(1 - schedule.alphaBar(s));
          NDArray x0s = denoiser.denoise(pred, s).x0();
          NDArray d = x.sub(x0.mul((float) aT)).divi((float) sT);
          NDArray dPrime = pred.sub(x0s.mul((float) aS)).divi((float) sS);
          double dSigma = sS / aS - sT / aT;
          // x_s = alpha_s (x_t / alpha_t + dSigma (d + d') / 2) = Euler + alpha_s dSigma (d' - d) /
          // 2
          next = pred.addi(dPrime.subi(d).muli((float) (aS * dSigma / 2)));
        } else {
          next = pred;
        }
        NDScope.unregister(next);
      }
      if (x != xT) {
        x.close();
      }
      x = next;
    }
    return x;
  }

  /** Whether the step from {@code t} to {@code s} takes Heun's correction (a second evaluation). */
  static boolean corrected(NoiseSchedule schedule, long t, long s) {
    return s > 0 && schedule.alphaBar(t) > 0.0;
  }

  @Override
  public int evaluations(NoiseSchedule schedule, long[] timesteps) {
    int n = 0;
    for (int k = 0; k < timesteps.length; k++) {
      long s = k + 1 < timesteps.length ? timesteps[k + 1] : 0;
      n += corrected(schedule, timesteps[k], s) ? 2 : 1;
    }
    return n;
  }

  @Override
  public String toString() {
    return NAME;
  }
}
