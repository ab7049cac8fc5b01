/**
 * Training objectives: the plain diffusion MSE ({@link org.spdiff.core.loss.MseLoss}) and the
 * self-perceptual loss of Lin &amp; Yang 2024 ({@link org.spdiff.core.loss.SelfPerceptualLoss}).
 * Losses take the networks and predictions as arguments.
 */
package org.spdiff.core.loss;
