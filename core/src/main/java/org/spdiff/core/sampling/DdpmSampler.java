package org.spdiff.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import org.spdiff.core.diffusion.GaussianDiffusion;
import org.spdiff.core.diffusion.X0Eps;

/**
 * Ancestral DDPM sampling (Ho et al. 2020, Algorithm 2) via the posterior {@code q(x_s | x_t,
 * x0_hat)} of the chain respaced to the chosen timesteps (Nichol &amp; Dhariwal 2021): with {@code
 * beta' = 1 - abar_t / abar_s},
 *
 * <pre>
 * mean = sqrt(abar_s) beta' / (1 - abar_t) x0_hat + sqrt(1 - beta') (1 - abar_s) / (1 - abar_t) x_t
 * var  = beta' (1 - abar_s) / (1 - abar_t)          (beta_tilde; 0 on the last step)
 * x_s  = mean + sqrt(var) z
 * </pre>
 */
public final class DdpmSampler {
  private DdpmSampler() {}

  public static Sampler ancestral() {
    return DdpmSampler::sample;
  }

  public static NDArray sample(
      Denoiser denoiser,
      GaussianDiffusion diffusion,
      long[] timesteps,
      NDArray xT,
      StepNoise noise) {
    NDArray x = xT;
    for (int k = 0; k < timesteps.length; k++) {
      long t = timesteps[k];
      long s = k + 1 < timesteps.length ? timesteps[k + 1] : 0;
      NDArray next;
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        X0Eps hat = denoiser.denoise(x, t);
        double abT = diffusion.schedule().alphaBar(t);
        double abS = diffusion.schedule().alphaBar(s);
        double betaP = 1 - abT / abS;
        double cX0 = Math.sqrt(abS) * betaP / (1 - abT);
        double cXt = Math.sqrt(1 - betaP) * (1 - abS) / (1 - abT);
        double var = betaP * (1 - abS) / (1 - abT);
        next = hat.x0().mul((float) cX0).addi(x.mul((float) cXt));
        if (var > 0) {
          next.addi(noise.at(k).mul((float) Math.sqrt(var)));
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
}
