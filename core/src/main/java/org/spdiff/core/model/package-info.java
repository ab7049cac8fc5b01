/**
 * Denoising networks: the {@link org.spdiff.core.model.DiffusionNet} contract, the UNet and its
 * blocks (GroupNorm, attention, timestep embedding), and the named presets.
 */
package org.spdiff.core.model;
