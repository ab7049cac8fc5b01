package org.spdiff.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class UNetConfigTest {

  private static void assertRejected(String field, Supplier<UNetConfig> build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
    assertTrue(e.getMessage().startsWith(field + ":"), e.getMessage());
  }

  @Test
  void badValuesAreRejectedNamingTheField() {
    UNetConfig.Builder ok = UNetPresets.named("bench").toBuilder();
    assertRejected("groups", () -> ok.groups(5).build());
    assertRejected("groups", () -> UNetPresets.named("bench").toBuilder().baseChannels(20).build());
    assertRejected(
        "channelMults",
        () -> UNetPresets.named("bench").toBuilder().channelMults(List.of()).build());
    assertRejected(
        "channelMults[1]", () -> UNetPresets.named("bench").toBuilder().channelMults(1, 0).build());
    assertRejected(
        "numResBlocks", () -> UNetPresets.named("bench").toBuilder().numResBlocks(0).build());
    assertRejected("dropout", () -> UNetPresets.named("bench").toBuilder().dropout(1.0).build());
    assertRejected(
        "timeSinusoidDim",
        () -> UNetPresets.named("bench").toBuilder().timeSinusoidDim(33).build());
    assertRejected(
        "numClasses", () -> UNetPresets.named("bench").toBuilder().numClasses(-1).build());
    assertRejected(
        "attentionResolutions",
        () -> UNetPresets.named("bench").toBuilder().attentionResolutions(8).build());
    assertRejected(
        "attentionHeads", () -> UNetPresets.named("bench").toBuilder().attentionHeads(3).build());
    assertRejected("inChannels", () -> UNetPresets.named("bench").withChannels(0, 1));
  }

  @Test
  void jsonRoundTripKeepsEveryField() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    for (String name : UNetPresets.names()) {
      UNetConfig cfg = UNetPresets.named(name);
      String json = mapper.writeValueAsString(cfg);
      assertEquals(cfg, mapper.readValue(json, UNetConfig.class), json);
      assertEquals(13, mapper.readTree(json).size(), json);
    }
  }

  @Test
  void jsonWithABadFieldFailsNamingIt() {
    String json =
        "{\"inChannels\":1,\"outChannels\":1,\"baseChannels\":30,\"channelMults\":[1,2],"
            + "\"numResBlocks\":1,\"attentionResolutions\":[],\"attentionHeads\":1,\"dropout\":0,"
            + "\"groups\":8,\"timeEmbedDim\":64,\"timeSinusoidDim\":32,\"numClasses\":0,"
            + "\"imageSize\":28}";
    Exception e =
        assertThrows(Exception.class, () -> new ObjectMapper().readValue(json, UNetConfig.class));
    assertTrue(e.getMessage().contains("groups:"), e.getMessage());
  }

  @Test
  void benchPresetIsExactlyTheBenchmarkNet() {
    UNetConfig b = UNetPresets.named("bench");
    assertEquals(1, b.inChannels());
    assertEquals(32, b.baseChannels());
    assertEquals(List.of(1, 2, 2), b.channelMults());
    assertEquals(1, b.numResBlocks());
    assertEquals(List.of(7), b.attentionResolutions());
    assertEquals(List.of(28, 14, 7), List.of(b.levelSize(0), b.levelSize(1), b.levelSize(2)));
    assertEquals(8, b.groups());
    assertEquals(128, b.timeEmbedDim());
    assertEquals(32, b.timeSinusoidDim());
    assertEquals(10, b.numClasses());
    assertEquals(0.0, b.dropout());
  }

  @Test
  void overridesKeepTheRest() {
    UNetConfig f = UNetPresets.named("fmnist");
    UNetConfig u = f.withNumClasses(0);
    assertEquals(0, u.numClasses());
    assertEquals(f.baseChannels(), u.baseChannels());
    UNetConfig big = f.withImageSize(32);
    assertEquals(List.of(8, 16), big.attentionResolutions());
    assertEquals(f.channelMults(), big.channelMults());
    UNetConfig rgb = f.withChannels(3, 3);
    assertEquals(3, rgb.inChannels());
    assertEquals(3, rgb.outChannels());
    assertThrows(IllegalArgumentException.class, () -> UNetPresets.named("huge"));
  }

  @Test
  void largePresetsHaveTheDocumentedSize() {
    // Parameter objects only: nothing is allocated for an uninitialised UNet.
    long sd = new UNet(UNetPresets.named("sd-latent")).parameterCount();
    System.out.println("sd-latent parameters: " + sd);
    assertTrue(sd > 600_000_000L && sd < 700_000_000L, "sd-latent: " + sd);
    assertEquals(45_577L, new UNet(UNetPresets.named("tiny")).parameterCount());
  }
}
