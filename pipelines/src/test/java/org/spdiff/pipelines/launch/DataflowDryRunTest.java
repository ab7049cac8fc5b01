package org.spdiff.pipelines.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataflowDryRunTest {
  private static final String L4 = "type:nvidia-l4;count:1;install-nvidia-driver";

  private static ClusterSmokePipeline.Options options(String... extra) {
    String[] base = {
      "--project=spdiff-dry-run",
      "--region=us-central1",
      "--tempLocation=gs://spdiff-dry-run-bucket/tmp",
      "--output=gs://spdiff-dry-run-bucket/smoke.tsv",
      "--sdkContainerImage=us-central1-docker.pkg.dev/spdiff-dry-run/spdiff/worker:test",
      "--workerMachineType=g2-standard-8",
      "--dataflowServiceOptions=worker_accelerator=" + L4,
      "--elements=4"
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return PipelineOptionsFactory.fromArgs(args).as(ClusterSmokePipeline.Options.class);
  }

  @Test
  void gpuHintAppearsOnTheGpuStepOnlyRunnerV2(@TempDir Path dir) throws Exception {
    Path jar = Files.writeString(dir.resolve("spdiff.jar"), "not really a jar");
    // As launch.sh passes them, the runner flag included: offline() must come before
    // Pipeline.create, which constructs the runner.
    ClusterSmokePipeline.Options o =
        options(
            "--runner=DataflowRunner",
            "--experiments=use_runner_v2",
            "--gpuAccelerator=" + L4,
            "--gpuMinRam=16GiB",
            "--filesToStage=" + jar);
    DataflowDryRun.offline(o, dir);
    DataflowDryRun.Report report = DataflowDryRun.run(ClusterSmokePipeline.build(o), dir);
    System.out.print(report.describe());

    assertTrue(report.runnerV2());
    assertTrue(report.jobSteps().isEmpty(), "runner v2 jobs carry their graph as the proto");
    assertTrue(report.steps().size() >= 4, "steps: " + report.steps());
    assertOnlyGpuStepHinted(report);
    assertEquals(List.of(jar.toString()), report.stagedFiles());
    JsonNode env = report.jobEnvironment();
    assertTrue(
        env.path("serviceOptions").toString().contains("worker_accelerator=" + L4), env.toString());
    assertEquals("g2-standard-8", env.path("workerPools").get(0).path("machineType").asText());
    assertEquals(
        "us-central1-docker.pkg.dev/spdiff-dry-run/spdiff/worker:test",
        env.path("workerPools").get(0).path("workerHarnessContainerImage").asText());
  }

  @Test
  void runnerV1JobStepsDropTheHints(@TempDir Path dir) {
    // Dataflow honours resource hints on runner v2 only: the v1 graph names the GPU step but
    // carries no hint, which is why launch.sh asks for runner v2.
    Pipeline p =
        ClusterSmokePipeline.build(
            options("--experiments=disable_runner_v2", "--gpuAccelerator=" + L4));
    DataflowDryRun.Report report = DataflowDryRun.run(p, dir);
    System.out.print(report.describe());
    assertFalse(report.runnerV2());
    assertTrue(report.jobSteps().size() >= 4, "steps: " + report.jobSteps());
    assertTrue(
        report.jobSteps().stream()
            .anyMatch(s -> s.userName().equals("SumOfSquares") && s.kind().equals("ParallelDo")),
        report.describe());
    assertTrue(report.stepsWithHints().isEmpty(), report.describe());
  }

  private static List<DataflowDryRun.Step> assertOnlyGpuStepHinted(DataflowDryRun.Report report) {
    List<DataflowDryRun.Step> hinted = report.stepsWithHints();
    assertEquals(1, hinted.size(), "hinted steps: " + hinted);
    DataflowDryRun.Step gpu = hinted.get(0);
    assertTrue(gpu.userName().startsWith("SumOfSquares/"), gpu.userName());
    assertTrue(gpu.hasAccelerator());
    assertEquals(L4, gpu.resourceHints().get(GpuHints.ACCELERATOR_URN));
    assertEquals(String.valueOf(16L << 30), gpu.resourceHints().get(GpuHints.MIN_RAM_URN));
    return hinted;
  }

  @Test
  void withoutGpuFlagsNoStepHasHints(@TempDir Path dir) {
    DataflowDryRun.Report report =
        DataflowDryRun.run(ClusterSmokePipeline.build(options("--experiments=use_runner_v2")), dir);
    assertTrue(report.stepsWithHints().isEmpty(), report.describe());
    assertTrue(report.steps().stream().anyMatch(s -> s.userName().startsWith("SumOfSquares/")));
  }

  @Test
  void missingOptionsAreNamed(@TempDir Path dir) {
    ClusterSmokePipeline.Options o =
        PipelineOptionsFactory.fromArgs("--output=/tmp/x", "--region=us-central1")
            .as(ClusterSmokePipeline.Options.class);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DataflowDryRun.offline(o, dir));
    assertTrue(
        e.getMessage().contains("--project") || e.getMessage().contains("--tempLocation"),
        e.getMessage());
    ClusterSmokePipeline.Options local =
        PipelineOptionsFactory.fromArgs(
                "--project=p", "--region=us-central1", "--tempLocation=/tmp/t", "--output=/tmp/x")
            .as(ClusterSmokePipeline.Options.class);
    IllegalArgumentException notGs =
        assertThrows(IllegalArgumentException.class, () -> DataflowDryRun.offline(local, dir));
    assertTrue(notGs.getMessage().contains("gs://"), notGs.getMessage());
  }
}
