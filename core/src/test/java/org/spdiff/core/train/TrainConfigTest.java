package org.spdiff.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.spdiff.core.checkpoint.Checkpoint;
import org.spdiff.core.diffusion.Parameterization;
import org.spdiff.core.loss.SelfPerceptualConfig;

class TrainConfigTest {

  @Test
  void jsonRoundTrip() throws Exception {
    TrainConfig mse = TrainConfig.builder().steps(10).seed(3).mse("logit-normal(0,1)", 5).build();
    TrainConfig sp = mse.toBuilder().selfPerceptual(SelfPerceptualConfig.paper()).lr(2e-5).build();
    for (TrainConfig c : new TrainConfig[] {mse, sp}) {
      String json = Checkpoint.json().writeValueAsString(c);
      assertEquals(c, Checkpoint.json().readValue(json, TrainConfig.class), json);
    }
    String lower =
        Checkpoint.json()
            .writeValueAsString(sp)
            .replace("\"MID\"", "\"mid\"")
            .replace("\"predicted\"", "\"PREDICTED\"");
    assertEquals(sp, Checkpoint.json().readValue(lower, TrainConfig.class), lower);
    String json = Checkpoint.json().writeValueAsString(sp);
    assertTrue(json.contains("\"noisePairing\" : \"predicted\""), json);
    assertTrue(json.contains("\"parameterization\" : \"v\""), json);
  }

  @Test
  void validationNamesTheField() {
    assertMessage(
        () -> TrainConfig.builder().parameterization(Parameterization.EPS).build(),
        "parameterization");
    assertMessage(() -> TrainConfig.builder().steps(0).build(), "steps");
    assertMessage(() -> TrainConfig.builder().lr(-1).build(), "lr");
    assertMessage(() -> TrainConfig.builder().condDropout(1.0).build(), "condDropout");
    assertMessage(() -> TrainConfig.builder().mse("range(3,3)", 0).build(), "range(3,3)");
    assertMessage(() -> TrainConfig.builder().schedule("foo", 1000, false).build(), "foo");
    assertMessage(
        () ->
            TrainConfig.builder()
                .selfPerceptual(
                    new SelfPerceptualConfig(
                        "uniform",
                        "fixed(5000)",
                        org.spdiff.core.loss.NoisePairing.TRUE,
                        org.spdiff.core.model.FeatureLayers.MID,
                        org.spdiff.core.loss.Distance.L1,
                        0))
                .build(),
        "fixed(5000)");
    // t' = t with the predicted pairing cannot train (SelfPerceptualLossTest shows why).
    for (String[] ts : new String[][] {{"uniform", "equal"}, {"fixed(9)", "fixed(9)"}}) {
      assertMessage(
          () ->
              TrainConfig.builder()
                  .selfPerceptual(
                      new SelfPerceptualConfig(
                          ts[0],
                          ts[1],
                          org.spdiff.core.loss.NoisePairing.PREDICTED,
                          org.spdiff.core.model.FeatureLayers.MID,
                          org.spdiff.core.loss.Distance.MSE,
                          0))
                  .build(),
          "nothing trains");
    }
  }

  @Test
  void equalTimestepsTrainWithTheTrueOrAFreshNoise() {
    for (var pairing :
        new org.spdiff.core.loss.NoisePairing[] {
          org.spdiff.core.loss.NoisePairing.TRUE, org.spdiff.core.loss.NoisePairing.SHARED_FRESH
        }) {
      SelfPerceptualConfig c =
          new SelfPerceptualConfig(
              "uniform",
              "equal",
              pairing,
              org.spdiff.core.model.FeatureLayers.MID,
              org.spdiff.core.loss.Distance.MSE,
              0);
      assertEquals(c, TrainConfig.builder().selfPerceptual(c).build().selfPerceptual());
    }
  }

  private static void assertMessage(Runnable r, String part) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
