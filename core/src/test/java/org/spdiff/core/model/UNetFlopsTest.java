package org.spdiff.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UNetFlopsTest {

  /**
   * One level of 16 channels at 4x4, one residual block, emb 32 from 16 sinusoids, 1 channel in and
   * out. Multiply-adds by hand: time MLP 16*32 + 32*32 = 1536; conv_in 1*16*9*16 = 2304; encoder
   * res(16, 16) = 2 * 16*16*9*16 + 32*16 = 74240; mid res + attention (qkv 16*48*16 = 12288, QK and
   * AV 2*16*16*16 = 8192, proj 16*16*16 = 4096) + res = 173056; decoder two res(32, 16) with the
   * 1x1 skip (32*16*9*16 + 32*16 + 16*16*9*16 + 32*16*16 = 119296 each) = 238592; conv_out 2304.
   */
  @Test
  void aOneLevelNetMatchesTheHandCount() {
    UNetConfig c =
        UNetConfig.builder()
            .baseChannels(16)
            .channelMults(1)
            .numResBlocks(1)
            .timeEmbedDim(32)
            .timeSinusoidDim(16)
            .imageSize(4)
            .build();
    assertEquals(2.0 * 492_032, UNetFlops.forward(c));
    assertEquals(2.0 * (1536 + 2304 + 74_240 + 173_056), UNetFlops.toMidBlock(c));
  }

  @Test
  void theBenchPresetIsAboutPointThreeEightGflop() {
    // 0.378 GFLOP per image forward was counted for the bench preset before this class existed.
    double bench = UNetFlops.forward(UNetPresets.named("bench"));
    assertEquals(0.378e9, bench, 0.01 * 0.378e9);
    // Attention at two levels and a second residual block per level make fmnist heavier.
    assertEquals(0.6357e9, UNetFlops.forward(UNetPresets.named("fmnist")), 0.001e9);
  }
}
