package org.spdiff.core.sampling;

import ai.djl.ndarray.NDArray;
import org.spdiff.core.diffusion.GaussianDiffusion;
import org.spdiff.core.schedule.NoiseSchedule;

/** One shared signature for every sampler (k-diffusion style). */
@FunctionalInterface
public interface Sampler {
  /**
   * Runs the reverse process from {@code x_T}.
   *
   * @param timesteps strictly decreasing timesteps in {@code 1..T}; after the last the sampler
   *     steps to {@code t = 0} ({@code abar_0 = 1})
   * @param xT the initial noise {@code [N, C, H, W]}
   * @param noise per-step noise (unused by deterministic samplers)
   * @return {@code x_0}, {@code [N, C, H, W]}, not clamped
   */
  NDArray sample(
      Denoiser denoiser,
      GaussianDiffusion diffusion,
      long[] timesteps,
      NDArray xT,
      StepNoise noise);

  /**
   * Denoiser evaluations per image of a run over {@code timesteps} (NFE; a guided denoiser runs the
   * network twice per evaluation). One per timestep unless the solver says otherwise.
   */
  default int evaluations(NoiseSchedule schedule, long[] timesteps) {
    return timesteps.length;
  }
}
