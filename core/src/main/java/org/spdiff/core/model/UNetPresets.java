package org.spdiff.core.model;

import java.util.List;

/**
 * Named UNet architectures. Override classes, channels or size on the result, e.g. {@code
 * UNetPresets.named("fmnist").withNumClasses(0)} or {@code .withImageSize(32)}.
 *
 * <ul>
 *   <li>{@code tiny}: for tests; 16x16x1, base 8, mults (1, 2), attention at 8x8, 4 groups, 10
 *       classes; 45,577 parameters, a training step takes milliseconds.
 *   <li>{@code bench}: the benchmark net; 28x28x1, base 32, mults (1, 2, 2), one residual block per
 *       level, one-head attention at 7x7 and in the mid-block, 8 groups, time embedding 128 from 32
 *       sinusoids, 10 classes + null, no dropout; 1,114,209 parameters (equal to the reference
 *       PyTorch implementation).
 *   <li>{@code fmnist}: the demo net for 28x28 (or 32x32) grayscale; base 32, mults (1, 2, 2), two
 *       residual blocks, 4-head attention at 14x14 and 7x7, 10 classes; 1,708,417 parameters.
 *   <li>{@code cifar32}: DDPM's CIFAR-10 net; 32x32x3, base 128, mults (1, 2, 2, 2), two residual
 *       blocks, attention at 16x16, dropout 0.1, 32 groups, time embedding 512, unconditional;
 *       35,746,307 parameters (DDPM reports 35.7 M).
 *   <li>{@code sd-latent}: a GPU preset shaped like Stable Diffusion's UNet without text
 *       cross-attention, for 4-channel VAE latents at 32x32 (256 px images; {@code
 *       withImageSize(64)} for 512 px); base 320, mults (1, 2, 4, 4), two residual blocks, 8-head
 *       self-attention at the three finest levels, 32 groups, time embedding 1280 from 320
 *       sinusoids, unconditional; about 640 M parameters. Too large for CPU training.
 * </ul>
 */
public final class UNetPresets {
  private UNetPresets() {}

  /** The preset names {@link #named} accepts. */
  public static List<String> names() {
    return List.of("tiny", "bench", "fmnist", "cifar32", "sd-latent");
  }

  /**
   * The preset called {@code name}.
   *
   * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
   */
  public static UNetConfig named(String name) {
    return switch (name) {
      case "tiny" ->
          UNetConfig.builder()
              .baseChannels(8)
              .channelMults(1, 2)
              .numResBlocks(1)
              .attentionResolutions(8)
              .groups(4)
              .timeEmbedDim(32)
              .timeSinusoidDim(16)
              .numClasses(10)
              .imageSize(16)
              .build();
      case "bench" ->
          UNetConfig.builder()
              .inChannels(1)
              .outChannels(1)
              .baseChannels(32)
              .channelMults(1, 2, 2)
              .numResBlocks(1)
              .attentionResolutions(7)
              .attentionHeads(1)
              .dropout(0)
              .groups(8)
              .timeEmbedDim(128)
              .timeSinusoidDim(32)
              .numClasses(10)
              .imageSize(28)
              .build();
      case "fmnist" ->
          UNetConfig.builder()
              .baseChannels(32)
              .channelMults(1, 2, 2)
              .numResBlocks(2)
              .attentionResolutions(14, 7)
              .attentionHeads(4)
              .groups(8)
              .timeEmbedDim(128)
              .timeSinusoidDim(32)
              .numClasses(10)
              .imageSize(28)
              .build();
      case "cifar32" ->
          UNetConfig.builder()
              .inChannels(3)
              .outChannels(3)
              .baseChannels(128)
              .channelMults(1, 2, 2, 2)
              .numResBlocks(2)
              .attentionResolutions(16)
              .attentionHeads(1)
              .dropout(0.1)
              .groups(32)
              .timeEmbedDim(512)
              .timeSinusoidDim(128)
              .numClasses(0)
              .imageSize(32)
              .build();
      case "sd-latent" ->
          UNetConfig.builder()
              .inChannels(4)
              .outChannels(4)
              .baseChannels(320)
              .channelMults(1, 2, 4, 4)
              .numResBlocks(2)
              .attentionResolutions(32, 16, 8)
              .attentionHeads(8)
              .groups(32)
              .timeEmbedDim(1280)
              .timeSinusoidDim(320)
              .numClasses(0)
              .imageSize(32)
              .build();
      default ->
          throw new IllegalArgumentException(
              "unknown UNet preset '" + name + "'; known: " + names());
    };
  }
}
