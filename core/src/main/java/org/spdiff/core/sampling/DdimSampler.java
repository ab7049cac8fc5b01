package org.spdiff.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import org.spdiff.core.diffusion.GaussianDiffusion;
import org.spdiff.core.diffusion.X0Eps;

/**
 * DDIM (Song et al. 2021, Eq. 12). From {@code t} to the next timestep {@code s} (0 after the
 * last):
 *
 * <pre>
 * sigma  = eta * sqrt((1 - abar_s) / (1 - abar_t)) * sqrt(1 - abar_t / abar_s)
 * x_s    = sqrt(abar_s) x0_hat + sqrt(1 - abar_s - sigma^2) eps_hat + sigma z
 * </pre>
 *
 * <p>{@code eta = 0} is deterministic. {@code eta = 1} makes {@code sigma^2} the DDPM posterior
 * variance {@code beta_tilde} of the (respaced) chain, so the update is exactly the ancestral DDPM
 * step ({@link DdpmSampler}) written differently.
 */
public final class DdimSampler {
  private DdimSampler() {}

  /** A {@link Sampler} with this {@code eta}. */
  public static Sampler withEta(double eta) {
    if (!(eta >= 0) || !Double.isFinite(eta)) {
      throw new IllegalArgumentException("DDIM eta must be >= 0: " + eta);
    }
    return (d, diffusion, ts, xT, noise) -> sample(d, diffusion, ts, xT, eta, noise);
  }

  public static NDArray sample(
      Denoiser denoiser,
      GaussianDiffusion diffusion,
      long[] timesteps,
      NDArray xT,
      double eta,
      StepNoise noise) {
    NDArray x = xT;
    for (int k = 0; k < timesteps.length; k++) {
      long t = timesteps[k];
      long s = k + 1 < timesteps.length ? timesteps[k + 1] : 0;
      NDArray next;
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        next = step(denoiser.denoise(x, t), diffusion, t, s, eta, noise, k);
        NDScope.unregister(next);
      }
      if (x != xT) {
        x.close();
      }
      x = next;
    }
    return x;
  }

  static NDArray step(
      X0Eps hat, GaussianDiffusion diffusion, long t, long s, double eta, StepNoise noise, int k) {
    double abT = diffusion.schedule().alphaBar(t);
    double abS = diffusion.schedule().alphaBar(s);
    double sigma = eta * Math.sqrt((1 - abS) / (1 - abT)) * Math.sqrt(1 - abT / abS);
    double dirCoef = Math.sqrt(Math.max(0.0, 1 - abS - sigma * sigma));
    NDArray out = hat.x0().mul((float) Math.sqrt(abS)).addi(hat.eps().mul((float) dirCoef));
    if (sigma > 0) {
      out.addi(noise.at(k).mul((float) sigma));
    }
    return out;
  }
}
