package org.spdiff.pipelines.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.experiment.ExperimentFiles;
import org.spdiff.pipelines.experiment.ExperimentSpec;

/** The estimator's arithmetic on a fake calibration, checked against sums done by hand. */
class StudyEstimatorTest {
  static final String STUDY =
      """
      name: e
      replicates: 2
      data: {source: /tmp/none, resolution: 16}
      features: {network: domain, classifierEpochs: 2, batchSize: 50}
      teacher: {model: tiny, steps: 100, batchSize: 8, checkpointEvery: 10}
      variants:
        - {name: mse, objective: mse, steps: 10}
        - {name: sp, objective: self-perceptual, steps: 10}
      generation: {samples: 40, sampler: ddim, steps: 5, cfgScales: [0, 2], shardSize: 20, batchSize: 10}
      scoring: {isSplits: 2}
      """;

  static final DataCounts DATA = new DataCounts(1000, 1200, "fake");
  static final double EPS = 1e-9;

  static ExperimentSpec spec(String yaml) {
    return ExperimentFiles.parse(yaml, false);
  }

  /** Teacher and MSE steps 0.5 s, self-perceptual 1.5 s; sampling 0.01 s, 0.02 s with CFG. */
  static Rates rates(ExperimentSpec s) {
    Map<String, Double> m = new HashMap<>();
    for (Workload w : StudyEstimator.workloads(s)) {
      double r;
      if (w instanceof Workload.Train t) {
        r = t.selfPerceptual() ? 1.5 : 0.5;
      } else if (w instanceof Workload.Sample x) {
        r = (x.cfg() ? 0.02 : 0.01) / (x.precision().equals("bf16") ? 2 : 1);
      } else if (w instanceof Workload.Features) {
        r = 0.001;
      } else {
        r = 0.002;
      }
      m.put(w.key(), r);
    }
    return new Rates("fake machine", m);
  }

  static double seconds(StudyEstimator.Estimate e, String stage) {
    return e.lines().stream()
        .filter(l -> l.stage().equals(stage))
        .mapToDouble(StudyEstimator.Line::seconds)
        .sum();
  }

  @Test
  void theStudyNeedsOneRatePerModelBatchObjectiveAndGuidance() {
    List<String> keys = StudyEstimator.workloads(spec(STUDY)).stream().map(Workload::key).toList();
    assertEquals(
        List.of(
            "train|tiny|16x16x1|c10|b8|mse",
            "train|tiny|16x16x1|c10|b8|sp-mid",
            "sample|tiny|16x16x1|c10|b10|nocfg",
            "sample|tiny|16x16x1|c10|b10|cfg",
            "features|domain|16x16x1|b50",
            "classifier|16x16x1"),
        keys);
  }

  /** bf16 cells are estimated at the bf16 rate (half the fp32 one in {@link #rates}). */
  @Test
  void aPrecisionSweepIsEstimatedAtEachPrecisionsOwnRate() {
    ExperimentSpec s =
        spec(
            STUDY.replace(
                "sampler: ddim, steps: 5,", "sampler: ddim, steps: 5, precision: [fp32, bf16],"));
    List<String> keys = StudyEstimator.workloads(s).stream().map(Workload::key).toList();
    assertTrue(keys.contains("sample|tiny|16x16x1|c10|b10|nocfg"), keys.toString());
    assertTrue(keys.contains("sample|tiny|16x16x1|c10|b10|cfg|bf16"), keys.toString());
    StudyEstimator.Estimate e =
        StudyEstimator.estimate(Plan.of(s), rates(s), (stage, key) -> false, DATA, 1);
    // 4 models x 40 samples x 5 steps x ((0.01 + 0.02) in fp32 + (0.005 + 0.01) in bf16)
    assertEquals(4 * (6 + 3), seconds(e, Plan.GENERATE), EPS);
  }

  @Test
  void perStageWorkAndWallTimeAreTheHandSums() {
    ExperimentSpec s = spec(STUDY);
    Plan plan = Plan.of(s);
    StudyEstimator.Estimate one =
        StudyEstimator.estimate(plan, rates(s), (stage, key) -> false, DATA, 1);
    assertEquals(1200 * 2e-4, seconds(one, Plan.PREPARE), EPS);
    assertEquals(2 * 1000 * 0.002, seconds(one, Plan.FEATURES), EPS);
    assertEquals(1000 * 0.001, seconds(one, Plan.REFSTATS), EPS);
    assertEquals(100 * 0.5, seconds(one, Plan.TEACHER), EPS);
    // two replicates of each arm: 2 x 10 x 0.5 + 2 x 10 x 1.5
    assertEquals(40, seconds(one, Plan.VARIANT), EPS);
    // 4 trained models x (40 samples x 5 steps x (0.01 without CFG + 0.02 with))
    assertEquals(4 * (2 + 4), seconds(one, Plan.GENERATE), EPS);
    // 8 cells x (40 images x 0.001 + 3 s)
    assertEquals(8 * 3.04, seconds(one, Plan.SCORE), EPS);
    assertEquals(2, seconds(one, Plan.COMPARE), EPS);
    double total = 0.24 + 4 + 1 + 50 + 40 + 24 + 24.32 + 2 + 2;
    assertEquals(total, one.workSeconds(), EPS);
    assertEquals(total, one.wallSeconds(), EPS, "one worker: the wall time is the work");

    // Two workers: the classifier and the teacher still train one step at a time (54 s) while the
    // reference statistics run beside them; the variants add up (40 s); the 8 cells' 48.32 s of
    // generation and scoring spread over both workers.
    StudyEstimator.Estimate two =
        StudyEstimator.estimate(plan, rates(s), (stage, key) -> false, DATA, 2);
    assertEquals(0.24 + 54 + 40 + 48.32 / 2 + 4, two.wallSeconds(), EPS);
    assertEquals(total, two.workSeconds(), EPS);
  }

  @Test
  void completeStagesCostNothing() {
    ExperimentSpec s = spec(STUDY);
    Plan plan = Plan.of(s);
    String scored = plan.cells().get(0).scoreKey();
    StudyEstimator.Estimate e =
        StudyEstimator.estimate(
            plan,
            rates(s),
            (stage, key) ->
                stage.equals(Plan.PREPARE) || key.equals(plan.teacherKey()) || key.equals(scored),
            DATA,
            1);
    assertEquals(0, seconds(e, Plan.TEACHER));
    assertEquals(0, seconds(e, Plan.PREPARE));
    // A scored cell is neither generated nor scored again (its generation: 40 x 5 x 0.01 = 2 s).
    double all = 0.24 + 4 + 1 + 50 + 40 + 24 + 24.32 + 2 + 2;
    assertEquals(all - 0.24 - 50 - 2 - 3.04, e.wallSeconds(), EPS);
    assertTrue(e.lines().stream().filter(StudyEstimator.Line::complete).count() == 4);
  }

  @Test
  void anEvaluatedTeacherPaysForItsEvaluationsAndWaitsForTheReference() {
    ExperimentSpec s =
        spec(
            STUDY.replace(
                "checkpointEvery: 10}",
                "checkpointEvery: 10, evalEvery: 50, evalSamples: 20, evalSteps: 4}"));
    StudyEstimator.Estimate e =
        StudyEstimator.estimate(Plan.of(s), rates(s), (stage, key) -> false, DATA, 2);
    // Evaluations at steps 50 and 100: 20 samples x 4 steps x 0.01 s at the evaluation's batch
    // (min(20, 10)), and 2 x 20 images featurized at 0.001 s.
    double teacher = 50 + 2 * (0.8 + 0.04);
    assertEquals(teacher, seconds(e, Plan.TEACHER), EPS);
    assertEquals(0.24 + (4 + 1 + teacher) + 40 + 48.32 / 2 + 4, e.wallSeconds(), EPS);
  }

  @Test
  void aMissingRateIsNamed() {
    ExperimentSpec s = spec(STUDY);
    Rates none = new Rates("fake", Map.of());
    String msg =
        assertThrows(
                IllegalArgumentException.class,
                () -> StudyEstimator.estimate(Plan.of(s), none, (a, b) -> false, DATA, 1))
            .getMessage();
    assertTrue(msg.contains("features|domain|16x16x1|b50"), msg);
  }

  @Test
  void durationsReadLikeProgressLines() {
    assertEquals("42s", StudyEstimator.duration(42.4));
    assertEquals("7m05s", StudyEstimator.duration(425));
    assertEquals("3h12m", StudyEstimator.duration(3 * 3600 + 12 * 60 + 20));
  }
}
