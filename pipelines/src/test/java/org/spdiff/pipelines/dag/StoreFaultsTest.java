package org.spdiff.pipelines.dag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.pipelines.dag.ExperimentCommandTest.Result;
import org.spdiff.pipelines.experiment.ExperimentFiles;
import org.spdiff.pipelines.report.ReportWriter;
import org.spdiff.pipelines.stages.TrainStage;
import org.spdiff.pipelines.stages.TrainedModel;
import org.spdiff.pipelines.store.ArtifactStore;
import org.spdiff.pipelines.store.VerifyCommand;

/**
 * Fault injection on a tiny study run through {@code spdiff run}: damaged weights of every network
 * (teacher, variant, feature classifier), damaged reference statistics and KID features, damaged
 * samples, a missing final checkpoint, two attempts racing on one key, a retried (resumed) bundle,
 * a failed write and an output inside the input. Each ends in a failure that names the store file
 * and key, or in a recomputation that gives the undamaged table; never in another table with exit
 * 0. {@code spdiff verify} lists exactly the damaged files. Each fault's message is printed.
 */
class StoreFaultsTest {
  static final String STUDY =
      """
      name: f
      data: {source: /usr/share/datasets/fashion-mnist, resolution: 16, limit: 256}
      features: {network: domain, classifierEpochs: 1}
      teacher: {model: tiny, steps: 4, batchSize: 16, lr: 1.0e-3, checkpointEvery: 2}
      variants:
        - {name: mse, objective: mse, steps: 2}
        - {name: sp, objective: self-perceptual, steps: 2, tPrime: uniform}
      generation: {samples: 32, steps: 2, cfgScales: [0], shardSize: 16, batchSize: 16, gridSize: 2}
      scoring: {isSplits: 2, fidSplits: 2, kidSubsets: 2, kidSubsetSize: 16}
      """;

  @TempDir static Path tmp;
  static Path exp;
  static Path base;
  static String baseTable;
  static Plan plan;

  @BeforeAll
  static void baseStore() throws IOException {
    assumeTrue(
        Files.exists(ExperimentPipelineTest.FMNIST.resolve("train-images-idx3-ubyte.gz")),
        "Fashion-MNIST missing: bin/setup installs dataset-fashion-mnist");
    exp = Files.writeString(tmp.resolve("f.yaml"), STUDY);
    base = tmp.resolve("base");
    Result r = run(base);
    assertEquals(0, r.status(), r.err());
    baseTable = table(base);
    plan = Plan.of(ExperimentFiles.parse(STUDY, false));
  }

  static Result run(Path store) {
    return ExperimentCommandTest.spdiff(
        "run", exp.toString(), "--store=" + store, "--runner=DirectRunner");
  }

  static String table(Path store) throws IOException {
    return ReportWriter.withoutWallTimes(
        Files.readString(store.resolve("experiments/f/table.csv")));
  }

  /** A fresh copy of the base store. */
  static Path copy(String name) throws IOException {
    Path s = tmp.resolve(name);
    ExperimentPipelineTest.copyTree(base, s);
    return s;
  }

  /** The first file (sorted) under a key whose relative path ends with {@code suffix}. */
  static Path file(Path store, String stage, String key, String suffix) throws IOException {
    Path d = store.resolve(stage).resolve(key);
    try (Stream<Path> s = Files.walk(d)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> d.relativize(p).toString().endsWith(suffix))
          .sorted()
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + suffix + " in " + d));
    }
  }

  static void flip(Path f) throws IOException {
    byte[] b = Files.readAllBytes(f);
    for (int i = 0; i < 4; i++) {
      b[b.length / 2 + i] ^= (byte) 0x7f;
    }
    Files.write(f, b);
  }

  static void delete(Path store, String... stages) throws IOException {
    for (String s : stages) {
      ExperimentPipelineTest.deleteTree(store.resolve(s));
    }
  }

  /** Runs the study on a damaged store: it must fail naming the file and its key. */
  static void failsNaming(
      String fault, Path store, Path damaged, String stage, String key, String what)
      throws IOException {
    Result r = run(store);
    String line = r.err().lines().filter(l -> l.startsWith("spdiff run:")).findFirst().orElse("");
    System.out.println("FAULT " + fault + " -> exit " + r.status() + ": " + line);
    assertEquals(1, r.status(), fault + ": " + r.err());
    assertTrue(line.contains(damaged.toString()), fault + ": " + line);
    assertTrue(line.contains(stage + " key " + key), fault + ": " + line);
    assertTrue(line.contains(what), fault + ": " + line);
  }

  @Test
  void damagedNetworksStatisticsAndSamplesFailNamingTheFile() throws IOException {
    String tk = plan.teacherKey();
    Path s = copy("teacher-weights");
    Path f = file(s, Plan.TEACHER, tk, "step-000000004/weights.safetensors");
    flip(f);
    delete(s, Plan.VARIANT, Plan.GENERATE, Plan.SCORE, Plan.COMPARE, Plan.REPORT);
    failsNaming("teacher checkpoint", s, f, Plan.TEACHER, tk, "sha256");

    String vk = plan.variants().get(0).key();
    s = copy("variant-weights");
    f = file(s, Plan.VARIANT, vk, "step-000000002/ema.safetensors");
    flip(f);
    delete(s, Plan.GENERATE, Plan.SCORE, Plan.COMPARE, Plan.REPORT);
    failsNaming("variant checkpoint", s, f, Plan.VARIANT, vk, "sha256");

    s = copy("classifier");
    f = file(s, Plan.FEATURES, plan.featuresKey(), "classifier.safetensors");
    flip(f);
    delete(s, Plan.REFSTATS, Plan.SCORE, Plan.COMPARE, Plan.REPORT);
    failsNaming("feature classifier", s, f, Plan.FEATURES, plan.featuresKey(), "sha256");

    s = copy("kid-features");
    f = file(s, Plan.REFSTATS, plan.refKey(), "prdc_features.f32");
    flip(f);
    delete(s, Plan.SCORE, Plan.COMPARE, Plan.REPORT);
    failsNaming("KID/PRDC reference features", s, f, Plan.REFSTATS, plan.refKey(), "sha256");

    s = copy("ref-stats");
    f = file(s, Plan.REFSTATS, plan.refKey(), "ref.npz");
    Files.write(f, java.util.Arrays.copyOf(Files.readAllBytes(f), (int) Files.size(f) / 2));
    delete(s, Plan.SCORE, Plan.COMPARE, Plan.REPORT);
    failsNaming("truncated ref.npz", s, f, Plan.REFSTATS, plan.refKey(), "size");

    String gk = plan.cells().get(0).generateKey();
    s = copy("samples");
    f = file(s, Plan.GENERATE, gk, "samples/000003.png");
    flip(f);
    delete(s, Plan.SCORE, Plan.COMPARE, Plan.REPORT);
    failsNaming("generated sample", s, f, Plan.GENERATE, gk, "sha256");

    s = copy("final-checkpoint");
    f = file(s, Plan.TEACHER, tk, "step-000000004/checkpoint.json");
    Files.delete(f);
    delete(s, Plan.VARIANT, Plan.GENERATE, Plan.SCORE, Plan.COMPARE, Plan.REPORT);
    failsNaming("missing final checkpoint", s, f, Plan.TEACHER, tk, "missing");
  }

  @Test
  void verifyListsExactlyTheDamagedFilesAndQuarantineRecomputesTheSameTable() throws IOException {
    Path s = copy("verify");
    Set<String> damaged = new TreeSet<>();
    String[][] targets = {
      {Plan.PREPARE, plan.prepareKey(), ".tfrecord"},
      {Plan.FEATURES, plan.featuresKey(), "classifier.safetensors"},
      {Plan.REFSTATS, plan.refKey(), "prdc_features.f32"},
      {Plan.TEACHER, plan.teacherKey(), "step-000000004/weights.safetensors"},
      {Plan.VARIANT, plan.variants().get(1).key(), "step-000000002/ema.safetensors"},
      {Plan.GENERATE, plan.cells().get(0).generateKey(), "samples/000005.png"},
      {Plan.SCORE, plan.cells().get(1).scoreKey(), "score.json"},
      {Plan.COMPARE, plan.comparisons().get(0).key(), "comparison.json"},
      {Plan.REPORT, plan.reportKey(), "table.md"},
    };
    for (String[] t : targets) {
      Path f = file(s, t[0], t[1], t[2]);
      flip(f);
      damaged.add(f.toString());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        new VerifyCommand(new PrintStream(out, true, StandardCharsets.UTF_8))
            .run(List.of(s.toString()), new String[0]);
    String text = out.toString(StandardCharsets.UTF_8);
    System.out.println("VERIFY\n" + text);
    assertEquals(1, status, text);
    Set<String> listed = new TreeSet<>();
    for (String line : text.lines().filter(l -> l.startsWith("damaged ")).toList()) {
      listed.add(line.substring("damaged ".length()).split(": ", 2)[0]);
    }
    assertEquals(damaged, listed, text);

    out.reset();
    status =
        new VerifyCommand(new PrintStream(out, true, StandardCharsets.UTF_8))
            .run(List.of(s.toString()), new String[] {"--quarantine=true"});
    System.out.println("QUARANTINE\n" + out.toString(StandardCharsets.UTF_8));
    assertEquals(1, status);
    Result r = run(s);
    assertEquals(0, r.status(), r.err());
    assertEquals(baseTable, table(s), "recomputed after quarantine: the undamaged table");
    out.reset();
    status =
        new VerifyCommand(new PrintStream(out, true, StandardCharsets.UTF_8))
            .run(List.of(s.toString()), new String[0]);
    System.out.println("VERIFY AFTER RERUN\n" + out.toString(StandardCharsets.UTF_8));
    assertEquals(0, status, out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aFailedWriteNamesTheFileLeavesNoTemporaryAndTheRerunRecomputes() throws IOException {
    Path s = copy("write-failure");
    delete(s, Plan.REFSTATS, Plan.SCORE, Plan.COMPARE, Plan.REPORT);
    // The reference statistics cannot be written (a file where their attempt folder goes).
    Path blocker = s.resolve(ArtifactStore.ATTEMPTS).resolve(Plan.REFSTATS);
    ExperimentPipelineTest.deleteTree(blocker);
    Files.createDirectories(blocker.getParent());
    Files.writeString(blocker, "not a folder");
    Result r = run(s);
    String line = r.err().lines().filter(l -> l.startsWith("spdiff run:")).findFirst().orElse("");
    System.out.println("FAULT write failure -> exit " + r.status() + ": " + line);
    assertEquals(1, r.status(), r.err());
    assertTrue(line.contains("cannot write " + blocker + "/" + plan.refKey() + "/"), line);
    assertFalse(Files.exists(s.resolve(Plan.REFSTATS).resolve(plan.refKey())));
    try (Stream<Path> files = Files.walk(s)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".tmp-")));
    }
    Files.delete(blocker);
    Result again = run(s);
    assertEquals(0, again.status(), again.err());
    assertEquals(baseTable, table(s));
  }

  @Test
  void racingAttemptsPublishOneTeacherAndARetriedAttemptResumesBitwise() throws Exception {
    Path s = tmp.resolve("race");
    ExperimentPipelineTest.copyTree(base.resolve(Plan.PREPARE), s.resolve(Plan.PREPARE));
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    ArtifactStore store = new ArtifactStore(s.toString());
    TrainStage.Task task = TrainStage.Task.teacher(plan);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<TrainedModel>> runs = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        runs.add(pool.submit(() -> TrainStage.train(plan, store, task)));
      }
      for (Future<TrainedModel> f : runs) {
        assertEquals(plan.teacherKey(), f.get().key());
      }
    } finally {
      pool.shutdown();
    }
    String tk = plan.teacherKey();
    assertEquals(List.of(), store.check(Plan.TEACHER, tk), "the stored teacher is whole");
    assertEquals(List.of(), store.attemptDirs(Plan.TEACHER, tk), "the loser removed its folder");
    Path last = file(s, Plan.TEACHER, tk, "step-000000004/weights.safetensors");
    byte[] stored = Files.readAllBytes(last);

    // A retried bundle: the worker died after the step-2 checkpoint of its attempt.
    Path dead = s.resolve(ArtifactStore.ATTEMPTS).resolve(Plan.TEACHER).resolve(tk).resolve("dead");
    Files.createDirectories(dead.getParent());
    Files.move(s.resolve(Plan.TEACHER).resolve(tk), dead);
    ExperimentPipelineTest.deleteTree(dead.resolve("checkpoints/step-000000004"));
    Files.delete(dead.resolve(ArtifactStore.MARKER));
    TrainStage.train(plan, store, task);
    String marker =
        new String(store.require(Plan.TEACHER, tk, ArtifactStore.MARKER), StandardCharsets.UTF_8);
    assertTrue(marker.contains("\"resumedFromStep\" : 2"), marker);
    assertArrayEquals(stored, Files.readAllBytes(last), "resumed to the uninterrupted weights");
    assertEquals(List.of(), store.check(Plan.TEACHER, tk));
  }

  @Test
  void prepareRefusesAnOutputEqualToOrInsideItsInput() throws IOException {
    Path in = Files.createDirectories(tmp.resolve("raw"));
    for (String output : List.of(in.toString(), in.resolve("out").toString())) {
      Result r =
          ExperimentCommandTest.spdiff(
              "prepare", "--input=" + in, "--output=" + output, "--runner=DirectRunner");
      System.out.println("FAULT output inside input -> exit " + r.status() + ": " + r.err().trim());
      assertEquals(2, r.status(), r.err());
      assertTrue(r.err().contains("--output " + output), r.err());
      assertTrue(r.err().contains("--input " + in), r.err());
      assertFalse(Files.exists(in.resolve("out")), "nothing written");
    }
  }
}
