/**
 * Samplers as small functions over a {@link org.spdiff.core.sampling.Denoiser}: DDIM (Song et al.
 * 2021) and ancestral DDPM (Ho et al. 2020), timestep spacings of Lin et al. 2023, classifier-free
 * guidance with guidance rescale. The noise of sample {@code i} is a function of {@code (seed, i)}
 * only, so outputs do not depend on batch composition.
 */
package org.spdiff.core.sampling;
