package org.spdiff.pipelines.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.core.checkpoint.Checkpoint;
import org.spdiff.pipelines.experiment.ExperimentFiles;
import org.spdiff.pipelines.report.TeacherCurve;
import org.spdiff.pipelines.stages.ReportStage;
import org.spdiff.pipelines.stages.StoreCheckpoints;
import org.spdiff.pipelines.stages.TeacherEval;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * {@code teacher.evalEvery} end to end on the small real study: the teacher waits for the
 * reference, writes its curve with its checkpoints, and the report shows it with the plateau rule's
 * verdict; re-evaluating a stored checkpoint gives the stored row (deterministic).
 */
class TeacherEvaluationTest {
  @TempDir Path tmp;

  @Test
  void theTeacherCurveIsWrittenWithTheTeacherAndReported() throws Exception {
    assumeTrue(
        Files.exists(ExperimentPipelineTest.FMNIST.resolve("train-images-idx3-ubyte.gz")),
        "Fashion-MNIST missing");
    String yaml =
        ExperimentPipelineTest.STUDY
            .replace(
                "checkpointEvery: 6}",
                "checkpointEvery: 10, steps: 20, evalEvery: 10, evalSamples: 16, evalSteps: 2}")
            .replace("steps: 12, ", "");
    ExperimentPipelineTest.Run run =
        ExperimentPipelineTest.run(yaml, tmp.resolve("s"), "--runner=DirectRunner");
    assertEquals(1, run.get("computed_teacher"));
    Plan plan = Plan.of(ExperimentFiles.parse(yaml, false).withStore(tmp.resolve("s").toString()));
    ArtifactStore store = new ArtifactStore(tmp.resolve("s").toString());
    TeacherCurve curve =
        TeacherCurve.parseCsv(
            new String(
                store.require(Plan.TEACHER, plan.teacherKey(), TeacherEval.FILE),
                StandardCharsets.UTF_8));
    assertEquals(List.of(10L, 20L), curve.points().stream().map(TeacherCurve.Point::step).toList());
    for (TeacherCurve.Point p : curve.points()) {
      assertTrue(p.fid() > 0 && Double.isFinite(p.fid()) && Double.isFinite(p.kid()), p.csv());
    }
    String md =
        Files.readString(
            Path.of(ReportStage.latestDir(store, plan.spec().name())).resolve("table.md"));
    assertTrue(md.contains("## Teacher evaluation during training"), md);
    assertTrue(md.contains("still improving"), "two evaluations cannot show a plateau: " + md);

    Checkpoint last =
        Checkpoint.readLatest(new StoreCheckpoints(store, Plan.TEACHER, plan.teacherKey()))
            .orElseThrow();
    try (TeacherEval eval = TeacherEval.open(plan, store)) {
      TeacherCurve.Point again = eval.evaluate(last);
      assertEquals(curve.points().get(1).fid(), again.fid(), 1e-6 * again.fid());
      assertEquals(curve.points().get(1).kid(), again.kid(), 1e-8);
    }
  }
}
