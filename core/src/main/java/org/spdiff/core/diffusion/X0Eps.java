package org.spdiff.core.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * The pair every parameterization converts to: predicted clean image and predicted noise.
 *
 * @param x0 {@code x0_hat}, float32 {@code [N, C, H, W]}
 * @param eps {@code eps_hat}, float32 {@code [N, C, H, W]}
 */
public record X0Eps(NDArray x0, NDArray eps) {}
