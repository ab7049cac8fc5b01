package org.spdiff.core.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * Per-sample forward-process coefficients for a batch, gathered from the float64 schedule into
 * float32 arrays of shape {@code [N, 1, 1, 1]} that broadcast over images.
 *
 * @param t the timesteps, one per sample
 * @param alphaBar {@code abar_t} per sample in float64 (for guards and weights)
 * @param sqrtAlphaBar {@code sqrt(abar_t)}, float32 {@code [N,1,1,1]}
 * @param sqrtOneMinusAlphaBar {@code sqrt(1 - abar_t)}, float32 {@code [N,1,1,1]}
 */
public record Coefficients(
    long[] t, double[] alphaBar, NDArray sqrtAlphaBar, NDArray sqrtOneMinusAlphaBar) {}
