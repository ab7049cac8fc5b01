/**
 * Denoising networks: the {@link org.spdiff.core.model.DiffusionNet} contract, the {@link
 * org.spdiff.core.model.UNet} (configured by {@link org.spdiff.core.model.UNetConfig}, with named
 * architectures in {@link org.spdiff.core.model.UNetPresets}) and its blocks (GroupNorm, residual
 * block, self-attention, timestep and class embeddings, down- and upsampling). {@link
 * org.spdiff.core.model.ScriptedUNet} runs a UNet's forward pass as TorchScript (the source written
 * by {@code UNetScript}) for bfloat16 generation.
 *
 * <p>All blocks fix their parameter shapes at construction, so no DJL shape inference is involved;
 * parameters are named by dotted paths ({@code down.0.res.0.conv1.weight}) and initialised
 * deterministically from a seed.
 */
package org.spdiff.core.model;
