package org.spdiff.pipelines.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The calibration's step budget, by hand. */
class CalibratorTest {
  @Test
  void warmUpIsAboutFourSecondsOfStepsBetweenTwoAndSix() {
    // The demo's bench step (0.5-0.65 s) keeps the full six steps that absorbed its slow start.
    assertEquals(6, Calibrator.warmupSteps(0.5));
    assertEquals(6, Calibrator.warmupSteps(0.65));
    assertEquals(4, Calibrator.warmupSteps(1.0));
    // fmnist-full's 1.7 M-parameter steps at batch 128 (3.6-5.8 s): the two of a second pass.
    assertEquals(2, Calibrator.warmupSteps(3.6));
    assertEquals(2, Calibrator.warmupSteps(5.8));
  }
}
