/**
 * Samplers as small functions over a {@link org.spdiff.core.sampling.Denoiser}: DDIM (Song et al.
 * 2021), ancestral DDPM (Ho et al. 2020), DPM-Solver++(2M) (Lu et al. 2022) and Heun's method
 * (Karras et al. 2022), timestep spacings of Lin et al. 2023 and Karras et al., classifier-free
 * guidance with guidance rescale, the network's forward pass in float32, bfloat16 or float16. The
 * noise of sample {@code i} is a function of {@code (seed, i)} only, so outputs do not depend on
 * batch composition.
 */
package org.spdiff.core.sampling;
