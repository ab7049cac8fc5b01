/**
 * The Gaussian forward process {@code q(x_t | x0)} and the model parameterizations (eps, v, x0)
 * with their conversions to {@code (x0_hat, eps_hat)}. The network is always passed in, never
 * owned.
 */
package org.spdiff.core.diffusion;
