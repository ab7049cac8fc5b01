package org.spdiff.pipelines.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void trainingPlanFitsItsShareOfTheBudget() {
    // The verdict study's bench step: the probe at batch 8 says 0.0159 s per image (1.02 s at 64);
    // with a share of 9 s the usual plan (4 warm-up, 4 timed at the study's batch: 8.1 s) fits.
    Calibrator.TrainPlan bench = Calibrator.trainPlan(0.0159, 64, 8, 9);
    assertEquals(new Calibrator.TrainPlan(64, 4, 4, 0.0159 * 64), bench);
    // fmnist's step at batch 128 (2.4 s; 2 + 2 steps = 9.5 s) over a 6.6 s share: 2 + 2 steps at
    // the batch that fits, floor(6.6 / (4 x 0.0186)) = 88.
    Calibrator.TrainPlan fmnist = Calibrator.trainPlan(0.0186, 128, 8, 6.6);
    assertEquals(88, fmnist.batch());
    assertEquals(2, fmnist.warmSteps());
    assertEquals(2, fmnist.reps());
    assertTrue(4 * 0.0186 * fmnist.batch() <= 6.6);
    // cifar32 (0.21 s per image at batch 8) with 4 s left: no batch above the probe's fits, so the
    // probe's figure, scaled to the study's batch of 128, is the measurement.
    Calibrator.TrainPlan cifar = Calibrator.trainPlan(0.21, 128, 8, 4);
    assertEquals(0, cifar.reps());
    assertEquals(0.21 * 128, cifar.probeSeconds(), 1e-12);
    // No time left at all (a share already spent): still the probe, never a zero or negative batch.
    assertEquals(0, Calibrator.trainPlan(0.0159, 64, 8, -1).reps());
  }
}
