package org.spdiff.core.sampling;

import ai.djl.ndarray.NDArray;
import org.spdiff.core.diffusion.X0Eps;

/**
 * The model as a sampler sees it: {@code x_t -> (x0_hat, eps_hat)} at one timestep shared by the
 * batch. Guidance, parameterization and the network hide behind it.
 */
@FunctionalInterface
public interface Denoiser {
  /**
   * @param xt {@code [N, C, H, W]}
   * @param t the timestep in {@code 1..T}
   */
  X0Eps denoise(NDArray xt, long t);
}
