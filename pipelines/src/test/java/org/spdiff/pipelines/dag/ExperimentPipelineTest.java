package org.spdiff.pipelines.dag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.pipelines.experiment.ExperimentFiles;
import org.spdiff.pipelines.experiment.ExperimentSpec;
import org.spdiff.pipelines.report.ReportWriter;
import org.spdiff.pipelines.stages.ReportStage;
import org.spdiff.pipelines.stages.StageCounters;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * The whole study DAG end to end on small real data (512 Fashion-MNIST images at 16x16, the tiny
 * UNet, a few steps per stage), on embedded Flink and DirectRunner: every stage runs, the table has
 * one row per variant and CFG scale, a rerun does no work, a new variant trains only itself, the
 * table does not depend on parallelism, and a training killed after a checkpoint resumes to the
 * uninterrupted weights.
 */
class ExperimentPipelineTest {
  static final Path FMNIST = Path.of("/usr/share/datasets/fashion-mnist");

  static final String STUDY =
      """
      name: t
      data: {source: /usr/share/datasets/fashion-mnist, resolution: 16, limit: 256}
      features: {network: domain, classifierEpochs: 1}
      teacher: {model: tiny, steps: 12, batchSize: 16, lr: 1.0e-3, checkpointEvery: 6}
      variants:
        - {name: mse, objective: mse, steps: 4}
        - {name: sp, objective: self-perceptual, steps: 4, tPrime: uniform}
      generation: {samples: 32, steps: 3, cfgScales: [0, 2], shardSize: 8, batchSize: 8, gridSize: 4}
      scoring: {isSplits: 2, fidSplits: 2, kidSubsets: 4, kidSubsetSize: 16}
      """;

  @TempDir static Path tmp;

  @BeforeAll
  static void data() {
    assumeTrue(
        Files.exists(FMNIST.resolve("train-images-idx3-ubyte.gz")),
        "Fashion-MNIST missing: bin/setup installs dataset-fashion-mnist");
  }

  record Run(Map<String, Long> counters, String table) {
    long get(String name) {
      return counters.getOrDefault(name, 0L);
    }
  }

  static Run run(String yaml, Path store, String... flags) {
    ExperimentSpec s = ExperimentFiles.parse(yaml, false);
    s = s.withStore(store.toString());
    PipelineOptions options = PipelineOptionsFactory.fromArgs(flags).create();
    FileSystems.setDefaultPipelineOptions(options);
    Pipeline p = Pipeline.create(options);
    Plan plan = Plan.of(s);
    ArtifactStore st = new ArtifactStore(store.toString());
    ExperimentPipeline.build(p, plan, st, ExperimentPipeline.Until.REPORT);
    PipelineResult r = p.run();
    assertEquals(PipelineResult.State.DONE, r.waitUntilFinish());
    Map<String, Long> counters = new TreeMap<>();
    for (MetricResult<Long> c :
        r.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
      if (c.getName().getNamespace().equals(StageCounters.NAMESPACE)) {
        counters.merge(c.getName().getName(), c.getAttempted(), Long::sum);
      }
    }
    String table =
        new String(
            ArtifactStore.readFile(ReportStage.latestDir(st, s.name()) + "/table.csv")
                .orElseThrow());
    return new Run(counters, table);
  }

  static final String[] FLINK = {
    "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"
  };

  @Test
  void studyRunsCachesExtendsAndIsIndependentOfParallelism() throws IOException {
    Path store = tmp.resolve("a");
    Run first = run(STUDY, store, FLINK);
    assertEquals(1, first.get("computed_teacher"));
    assertEquals(2, first.get("computed_variant"));
    assertEquals(4, first.get("computed_score"));
    assertEquals(12 + 4 + 4, first.get(StageCounters.TRAIN_STEPS));
    assertEquals(4 * 32, first.get(StageCounters.IMAGES_GENERATED));
    List<String> rows = first.table().lines().skip(1).toList();
    assertEquals(4, rows.size());
    assertTrue(rows.get(0).startsWith("mse,mse,ddim-3,0.0,1,"), rows.get(0));
    assertTrue(rows.get(3).startsWith("sp,self-perceptual,ddim-3,2.0,1,"), rows.get(3));
    int fidColumn =
        List.of(first.table().lines().findFirst().orElseThrow().split(",")).indexOf("fid");
    List<String> header = List.of(first.table().lines().findFirst().orElseThrow().split(","));
    for (String row : rows) {
      String[] f = row.split(",", -1);
      double fid = Double.parseDouble(f[fidColumn]);
      assertTrue(fid > 0 && Double.isFinite(fid), row);
      for (String m : List.of("precision", "recall", "density", "coverage", "fid_inf")) {
        assertTrue(Double.isFinite(Double.parseDouble(f[header.indexOf(m)])), m + ": " + row);
      }
    }
    // The self-perceptual rows carry their paired difference from the control and a verdict.
    for (String row : rows.subList(2, 4)) {
      String[] f = row.split(",", -1);
      double d = Double.parseDouble(f[header.indexOf("dfid")]);
      double lo = Double.parseDouble(f[header.indexOf("dfid_lo")]);
      double hi = Double.parseDouble(f[header.indexOf("dfid_hi")]);
      assertTrue(lo < d && d < hi, row);
      assertTrue(
          List.of("better", "worse", "inconclusive").contains(f[header.indexOf("verdict")]), row);
    }
    assertEquals(2, first.get("computed_compare"));
    Path report = Path.of(ReportStage.latestDir(new ArtifactStore(store.toString()), "t"));
    for (String f : List.of("table.md", "scores.json", "report.html")) {
      assertTrue(Files.size(report.resolve(f)) > 0, f);
    }
    assertEquals(4, Files.list(report.resolve("grids")).count());

    // A rerun does no training, generation or scoring and writes the same table.
    Run again = run(STUDY, store, FLINK);
    assertEquals(0, again.get(StageCounters.TRAIN_STEPS));
    assertEquals(0, again.get(StageCounters.IMAGES_GENERATED));
    assertEquals(0, again.get("computed_variant") + again.get("computed_teacher"));
    assertEquals(1, again.get("cached_teacher"));
    assertEquals(0, again.get("computed_compare"));
    assertEquals(2, again.get("cached_compare"));
    for (String stage :
        List.of(
            Plan.PREPARE,
            Plan.FEATURES,
            Plan.REFSTATS,
            Plan.TEACHER,
            Plan.VARIANT,
            Plan.GENERATE,
            Plan.SCORE,
            Plan.COMPARE)) {
      assertTrue(again.get("cached_" + stage) > 0, "cached_" + stage + " in " + again.counters());
      assertEquals(0, again.get("computed_" + stage), "computed_" + stage);
    }
    assertEquals(first.table(), again.table());

    // A new variant trains, samples and scores only itself.
    String extended =
        STUDY.replace(
            "generation:",
            "  - {name: sp-late, objective: self-perceptual, steps: 4, tPrime: 'range(500,1000)'}\n"
                + "generation:");
    Run more = run(extended, store, FLINK);
    assertEquals(1, more.get("computed_variant"));
    assertEquals(4, more.get(StageCounters.TRAIN_STEPS));
    assertEquals(2, more.get("computed_score"));
    List<String> moreRows = more.table().lines().skip(1).toList();
    assertEquals(6, moreRows.size());
    assertEquals(rows, moreRows.subList(0, 4), "existing rows are read back unchanged");

    // Raising the replicates trains, samples and scores only the new replicates.
    Run replicated = run("replicates: 2\n" + extended, store, FLINK);
    assertEquals(3, replicated.get("computed_variant"), "one new replicate per arm");
    assertEquals(3 * 4, replicated.get(StageCounters.TRAIN_STEPS));
    assertEquals(3 * 2, replicated.get("computed_score"));
    assertEquals(3 * 2 * 32, replicated.get(StageCounters.IMAGES_GENERATED));
    List<String> repRows = replicated.table().lines().skip(1).toList();
    assertEquals(6, repRows.size());
    assertTrue(repRows.get(0).startsWith("mse,mse,ddim-3,0.0,2,"), repRows.get(0));

    // The same models sampled with the null class (labels: none): only the new cells are
    // generated and scored, at CFG 0 alone, and every class-conditional row reads back unchanged.
    Run uncond =
        run(
            "replicates: 2\n"
                + extended.replace("gridSize: 4}", "gridSize: 4, labels: [class, none]}"),
            store,
            FLINK);
    assertEquals(0, uncond.get(StageCounters.TRAIN_STEPS));
    assertEquals(3 * 2, uncond.get("computed_score"), "3 arms x 2 replicates, CFG 0 only");
    assertEquals(3 * 2 * 32, uncond.get(StageCounters.IMAGES_GENERATED));
    List<String> uncondRows = uncond.table().lines().skip(1).toList();
    assertEquals(repRows, uncondRows.stream().filter(r -> !r.contains("-uncond")).toList());
    List<String> nullRows = uncondRows.stream().filter(r -> r.contains("-uncond")).toList();
    assertEquals(3, nullRows.size());
    assertTrue(nullRows.get(0).startsWith("mse,mse,ddim-3-uncond,0.0,2,"), nullRows.get(0));
    for (String row : nullRows) {
      String[] f = row.split(",", -1);
      assertTrue(Double.isFinite(Double.parseDouble(f[fidColumn])), row);
      assertNotEquals(
          repRows.stream()
              .filter(r -> r.startsWith(f[0] + "," + f[1] + ",ddim-3,0.0,"))
              .findFirst()
              .orElseThrow()
              .split(",", -1)[fidColumn],
          f[fidColumn],
          "the null class gives other samples than the classes");
    }
    assertEquals(
        2,
        nullRows.stream()
            .filter(
                r ->
                    List.of("better", "worse", "inconclusive")
                        .contains(r.split(",", -1)[header.indexOf("verdict")]))
            .count(),
        "both self-perceptual null-class rows are compared with the control's null-class row");
  }

  /**
   * The whole study, trained, sampled and scored from scratch in fresh stores on embedded Flink at
   * parallelism 2 and 1 and on the DirectRunner (several worker threads, so the classifier and the
   * teacher train at once), gives the same table to the last digit: only the wall-time column
   * differs.
   */
  @Test
  void tableIsTheSameOnEveryRunnerAndParallelism() {
    String parallel = ReportWriter.withoutWallTimes(run(STUDY, tmp.resolve("p2"), FLINK).table());
    String serial =
        ReportWriter.withoutWallTimes(
            run(
                    STUDY,
                    tmp.resolve("p1"),
                    "--runner=FlinkRunner",
                    "--flinkMaster=[local]",
                    "--parallelism=1")
                .table());
    Run direct = run(STUDY, tmp.resolve("direct"), "--runner=DirectRunner");
    assertEquals(4, direct.get("computed_score"));
    assertEquals(parallel, serial, "Flink parallelism 2 vs 1");
    assertEquals(parallel, ReportWriter.withoutWallTimes(direct.table()), "Flink vs DirectRunner");
  }

  @Test
  void killedTrainingResumesToTheUninterruptedWeights() throws IOException {
    Path store = tmp.resolve("resume");
    run(STUDY, store, FLINK);
    ExperimentSpec s = ExperimentFiles.parse(STUDY, false);
    Plan plan = Plan.of(s);
    Path teacher = store.resolve("teacher").resolve(plan.teacherKey());
    Path last = teacher.resolve("checkpoints/step-000000012");
    Map<String, byte[]> uninterrupted = files(last);
    // Simulate a kill after the step-6 checkpoint: the final checkpoint and everything after it
    // never happened.
    deleteTree(last);
    Files.delete(teacher.resolve(ArtifactStore.MARKER));
    for (String stage :
        List.of("variant", "generate", "score", "compare", "report", "experiments")) {
      deleteTree(store.resolve(stage));
    }
    Run resumed = run(STUDY, store, FLINK);
    assertEquals(
        6 + 4 + 4, resumed.get(StageCounters.TRAIN_STEPS), "the teacher resumed at step 6");
    Map<String, byte[]> again = files(last);
    assertEquals(uninterrupted.keySet(), again.keySet());
    for (String f : uninterrupted.keySet()) {
      if (f.endsWith(".safetensors")) {
        assertArrayEquals(uninterrupted.get(f), again.get(f), f + " differs after resume");
      }
    }
  }

  static Map<String, byte[]> files(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        out.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
