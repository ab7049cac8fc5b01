package org.spdiff.infra.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.pipelines.launch.ClusterSmokePipeline;
import org.spdiff.pipelines.report.ReportWriter;

/**
 * A real multi-process Flink session cluster on 127.0.0.1 (one JobManager, two TaskManager JVMs,
 * started by {@code infra/flink/flink-up.sh}):
 *
 * <ol>
 *   <li>runs a small Beam pipeline that loads DJL; its output must equal the embedded runner's;
 *   <li>runs a tiny study exactly as a user would ({@code bin/spdiff run STUDY.yaml
 *       --runner=FlinkRunner --flinkMaster=localhost:PORT --filesToStage=<thin jar> --store=DIR}, a
 *       subprocess); its {@code table.csv} must equal the one {@code bin/spdiff run} writes with
 *       the embedded runner in another store (the wall-time column aside);
 *   <li>runs a study with a longer teacher and kills (SIGKILL) the TaskManager that trains it once
 *       the teacher has written a checkpoint; the cluster's fixed-delay restart strategy restarts
 *       the job (a replacement TaskManager is started with {@code flink-up.sh}), the teacher
 *       resumes from its checkpoint, and the table equals the uninterrupted embedded one.
 * </ol>
 *
 * <p>Embedded runs and TaskManagers use the same libtorch thread count ({@link #DJL_THREADS}), so
 * weights are bitwise equal. The cluster is stopped whatever happens (after all tests, and from a
 * shutdown hook).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlinkClusterIT {
  private static final int ELEMENTS = 24;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** libtorch intra-op threads: {@code SPDIFF_THREADS} of bin/spdiff = the TaskManagers'. */
  private static final int DJL_THREADS = 1;

  /** The study of ExperimentPipelineTest: 256 Fashion-MNIST images at 16x16, the tiny UNet. */
  private static final String STUDY =
      """
      name: NAME
      data: {source: /usr/share/datasets/fashion-mnist, resolution: 16, limit: 256}
      features: {network: domain, classifierEpochs: 1}
      teacher: {model: tiny, steps: TEACHER_STEPS, batchSize: 16, lr: 1.0e-3, checkpointEvery: EVERY}
      variants:
        - {name: mse, objective: mse, steps: 4}
        - {name: sp, objective: self-perceptual, steps: 4, tPrime: uniform}
      generation: {samples: 32, steps: 3, cfgScales: [0, 2], shardSize: 8, batchSize: 8, gridSize: 4}
      scoring: {isSplits: 2, fidSplits: 2, kidSubsets: 4, kidSubsetSize: 16}
      """;

  /** The cluster's slots: 2 TaskManagers x 2 slots, parallelism.default 2 (flink-env.sh). */
  private static final int CLUSTER_PARALLELISM = 2;

  private static final int VARIANT_STEPS = 2 * 4;
  private static final int TINY_TEACHER_STEPS = 12;

  /**
   * The fault study's teacher: ~20 steps/s here, so ~8 s of training, a checkpoint per 0.5 s.
   * Finding the teacher's TaskManager through the REST API took up to ~2.5 s of training (kill at
   * step 50).
   */
  private static final int FAULT_TEACHER_STEPS = 160;

  private static final int FAULT_CHECKPOINT_EVERY = 10;
  private static final Pattern DONE =
      Pattern.compile("^done in [0-9.]+ s(?: \\([^)]*\\))?(;.*)?$", Pattern.MULTILINE);

  private final Path root =
      Path.of(System.getProperty("spdiff.root", "..")).toAbsolutePath().normalize();
  private final Path jar = root.resolve("pipelines/target/spdiff.jar");
  private final Path fmnist = Path.of("/usr/share/datasets/fashion-mnist");
  private FlinkCluster cluster;
  private Thread stopOnExit;
  private List<String> embedded;
  private Path work;
  private Path tinyYaml;
  private Path faultYaml;
  private String tinyTable;
  private String faultTable;
  private Path faultStore;

  @BeforeAll
  void startCluster(@TempDir Path dir) throws Exception {
    work = dir;
    Path lib = root.resolve("pipelines/target/lib");
    assumeTrue(
        Files.isRegularFile(jar),
        "SKIPPED: "
            + jar
            + " is missing; build the pipelines module first (mvn -DskipTests install)");
    assumeTrue(
        hasJar(lib, "flink-runtime-1.19") && hasJar(lib, "flink-rpc-akka-loader-1.19"),
        "SKIPPED: the Flink 1.19 cluster jars (flink-runtime, flink-rpc-akka-loader) are missing from "
            + lib);
    assumeTrue(
        Files.isDirectory(root.resolve("infra/target/flink-lib")),
        "SKIPPED: infra/target/flink-lib is missing (built by this module's generate-test-resources)");
    assumeTrue(
        Files.exists(fmnist.resolve("train-images-idx3-ubyte.gz")),
        "SKIPPED: Fashion-MNIST missing from " + fmnist + " (bin/setup installs it)");

    // The references: the smoke pipeline on the embedded Flink of this JVM, and both studies with
    // `bin/spdiff run` on its embedded runner, each in a store of its own.
    embedded = runPipeline("[local]", dir.resolve("embedded.tsv"), 0);
    assertEquals(expected(), embedded, "embedded runner output");
    tinyYaml = study(dir, "tiny-it", TINY_TEACHER_STEPS, 6);
    faultYaml = study(dir, "fault-it", FAULT_TEACHER_STEPS, FAULT_CHECKPOINT_EVERY);
    long t0 = System.nanoTime();
    Path tinyStore = dir.resolve("store-embedded-tiny");
    String out = spdiffRun(tinyYaml, tinyStore, null, dir.resolve("embedded-tiny.log"));
    report("tiny study, bin/spdiff run on the embedded runner", t0);
    assertEquals(TINY_TEACHER_STEPS + VARIANT_STEPS, counters(out).get("trainSteps"), out);
    tinyTable = table(tinyStore, "tiny-it");
    t0 = System.nanoTime();
    faultStore = dir.resolve("store-embedded-fault");
    out = spdiffRun(faultYaml, faultStore, null, dir.resolve("embedded-fault.log"));
    report("fault study, bin/spdiff run on the embedded runner (uninterrupted)", t0);
    assertEquals(FAULT_TEACHER_STEPS + VARIANT_STEPS, counters(out).get("trainSteps"), out);
    faultTable = table(faultStore, "fault-it");

    cluster = new FlinkCluster(root, root.resolve("infra/target/flink-it"), DJL_THREADS);
    stopOnExit = new Thread(this::stopQuietly, "flink-down");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    t0 = System.nanoTime();
    try {
      cluster.up(2);
    } catch (Exception e) {
      stopQuietly();
      throw e;
    }
    report("cluster startup (JobManager + 2 TaskManagers registered)", t0);
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      long t0 = System.nanoTime();
      cluster.down();
      report("cluster shutdown", t0);
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    }
  }

  @Test
  @Order(1)
  void pipelineOnTwoTaskManagersEqualsEmbedded(@TempDir Path dir) throws Exception {
    Set<String> before = jobIds();
    long t0 = System.nanoTime();
    List<String> out = runPipeline(cluster.master(), dir.resolve("cluster.tsv"), 0);
    report("smoke pipeline on the cluster (submit to done, fresh cluster)", t0);
    assertEquals(embedded, out, "cluster output equals the embedded runner's");

    String job = newJob(before);
    assertEquals("FINISHED", jobDetails(job).path("state").asText());
    Set<String> taskManagers = taskManagersThatRan(job);
    assertEquals(2, taskManagers.size(), "subtasks ran on both TaskManagers: " + taskManagers);
  }

  @Test
  @Order(2)
  void studyOnTheClusterEqualsEmbedded() throws Exception {
    Set<String> before = jobIds();
    Path store = work.resolve("store-cluster-tiny");
    long t0 = System.nanoTime();
    String out = spdiffRun(tinyYaml, store, cluster.master(), work.resolve("cluster-tiny.log"));
    report("tiny study, bin/spdiff run on the cluster (launch to exit)", t0);
    assertEquals(
        ReportWriter.withoutWallTimes(tinyTable),
        ReportWriter.withoutWallTimes(table(store, "tiny-it")),
        "table.csv on the cluster equals the embedded runner's (train_seconds aside)");
    Map<String, Long> counters = counters(out);
    assertEquals(TINY_TEACHER_STEPS + VARIANT_STEPS, counters.get("trainSteps"), out);
    assertEquals(4L, counters.get("computed_score"), out);

    String job = newJob(before);
    assertEquals("FINISHED", jobDetails(job).path("state").asText());
    Set<String> taskManagers = taskManagersThatRan(job);
    assertEquals(2, taskManagers.size(), "the study's subtasks ran on both TaskManagers");
  }

  @Test
  @Order(3)
  void killedTaskManagerStudyResumesFromCheckpointAndEqualsEmbedded() throws Exception {
    Set<String> before = jobIds();
    Path store = work.resolve("store-cluster-fault");
    Path log = work.resolve("cluster-fault.log");
    long t0 = System.nanoTime();
    Process spdiff = startSpdiff(faultYaml, store, cluster.master(), log);
    try {
      // Find the TaskManager that trains the teacher, then kill it right after the teacher's first
      // complete checkpoint (its manifest is written last).
      String job = awaitRunningJob(before);
      int victimIndex = taskManagerTraining(job, spdiff, log);
      // Training writes into a private attempt folder (_attempts/teacher/<key>/<attempt>/) and
      // publishes it as teacher/<key> when complete.
      Path teacherCheckpoint =
          awaitCheckpoint(store.resolve("_attempts").resolve("teacher"), spdiff, log);
      Path attemptDir = teacherCheckpoint.getParent().getParent();
      Path teacherDir = store.resolve("teacher").resolve(attemptDir.getParent().getFileName());
      String killedId = cluster.taskManagerId(victimIndex);
      long pid = cluster.taskManagerPid(victimIndex);
      ProcessHandle victim = ProcessHandle.of(pid).orElseThrow();
      assertTrue(victim.destroyForcibly(), "SIGKILL to TaskManager pid " + pid);
      victim.onExit().get(10, TimeUnit.SECONDS);
      long killedAt = System.nanoTime();
      assertFalse(
          Files.exists(teacherDir.resolve("_COMPLETE.json")),
          "the teacher finished before its TaskManager was killed: make it longer");
      System.out.printf(
          "killed TaskManager %s (pid %d, training the teacher) %.1f s after launch; first"
              + " checkpoint seen: %s; newest after the kill: %s%n",
          killedId,
          pid,
          secs(t0),
          teacherCheckpoint.getFileName(),
          newestCheckpoint(attemptDir.resolve("checkpoints")).map(Path::getFileName).orElse(null));

      // A replacement TaskManager (flink-up.sh is idempotent: it starts only the missing one).
      cluster.up(2);
      report("replacement TaskManager registered after the kill", killedAt);

      assertTrue(
          spdiff.waitFor(240, TimeUnit.SECONDS),
          "bin/spdiff run finished within 240 s; see " + log);
      report("fault study on the cluster (kill to exit)", killedAt);
      report("fault study on the cluster (launch to exit)", t0);
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertEquals(0, spdiff.exitValue(), "bin/spdiff run exit status; output:\n" + tail(out));

      JsonNode complete = JSON.readTree(teacherDir.resolve("_COMPLETE.json").toFile());
      long resumedAt = complete.path("results").path("resumedFromStep").asLong();
      long trainSteps = counters(out).get("trainSteps");
      System.out.printf(
          "teacher resumed from step %d of %d; trainSteps counter of the finished job: %d%n",
          resumedAt, FAULT_TEACHER_STEPS, trainSteps);
      assertTrue(
          resumedAt > 0 && resumedAt < FAULT_TEACHER_STEPS,
          "the teacher resumed from a checkpoint: " + complete.path("results"));
      // Counters of the failed attempt are discarded: only the resumed steps count.
      assertEquals(
          FAULT_TEACHER_STEPS - resumedAt + VARIANT_STEPS,
          trainSteps,
          "the restarted job trained only the steps after the checkpoint");

      // What crossed the kill: the checkpoint the teacher resumed from is bitwise the embedded
      // run's checkpoint at the same step.
      String resumedFrom = String.format("step-%09d", resumedAt);
      Path embeddedCheckpoints =
          faultStore.resolve("teacher").resolve(teacherDir.getFileName()).resolve("checkpoints");
      for (String f : List.of("weights.safetensors", "ema.safetensors", "optimizer.safetensors")) {
        assertArrayEquals(
            Files.readAllBytes(embeddedCheckpoints.resolve(resumedFrom).resolve(f)),
            Files.readAllBytes(teacherDir.resolve("checkpoints").resolve(resumedFrom).resolve(f)),
            resumedFrom + "/" + f + " on the cluster equals the embedded run's bitwise");
      }

      String clusterTable = table(store, "fault-it");
      if (!ReportWriter.withoutWallTimes(faultTable)
          .equals(ReportWriter.withoutWallTimes(clusterTable))) {
        System.out.println(
            "tables differ; teacher checkpoints, cluster vs embedded: "
                + compareCheckpoints(
                    teacherDir.resolve("checkpoints"),
                    faultStore
                        .resolve("teacher")
                        .resolve(teacherDir.getFileName())
                        .resolve("checkpoints")));
      }
      assertEquals(
          ReportWriter.withoutWallTimes(faultTable),
          ReportWriter.withoutWallTimes(clusterTable),
          "table.csv after the kill and restart equals the uninterrupted embedded one");

      JsonNode details = jobDetails(job);
      assertEquals("FINISHED", details.path("state").asText());
      JsonNode failures = JSON.readTree(cluster.rest("/jobs/" + job + "/exceptions"));
      JsonNode entries = failures.path("exceptionHistory").path("entries");
      assertFalse(entries.isEmpty(), "the job failed over at least once: " + failures);
      assertTrue(
          entries.toString().contains(killedId),
          "a failure names the killed TaskManager " + killedId + ": " + entries);
      System.out.println(
          "failure that triggered the restart: "
              + entries.get(0).path("exceptionName").asText()
              + " on "
              + entries.get(0).path("taskManagerId").asText());
    } finally {
      if (spdiff.isAlive()) {
        spdiff.destroyForcibly();
      }
    }
  }

  // ---- bin/spdiff as a user runs it ----

  private static Path study(Path dir, String name, int teacherSteps, int every) throws IOException {
    Path yaml = dir.resolve(name + ".yaml");
    Files.writeString(
        yaml,
        STUDY
            .replace("NAME", name)
            .replace("TEACHER_STEPS", String.valueOf(teacherSteps))
            .replace("EVERY", String.valueOf(every)));
    return yaml;
  }

  /** {@code bin/spdiff run YAML --store=STORE [cluster flags]}; its output, after exit status 0. */
  private String spdiffRun(Path yaml, Path store, String master, Path log) throws Exception {
    Process p = startSpdiff(yaml, store, master, log);
    try {
      assertTrue(p.waitFor(240, TimeUnit.SECONDS), "bin/spdiff run within 240 s; see " + log);
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "bin/spdiff run exit status; output:\n" + tail(out));
    return out;
  }

  private Process startSpdiff(Path yaml, Path store, String master, Path log) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "bash",
                root.resolve("bin/spdiff").toString(),
                "run",
                yaml.toString(),
                "--store=" + store));
    if (master != null) {
      command.add("--runner=FlinkRunner");
      command.add("--flinkMaster=" + master);
      command.add("--filesToStage=" + jar); // the thin jar only: the cluster has its dependencies
      // Without it the job runs at parallelism 1 (the launcher has no Flink config, so Beam falls
      // back to 1), i.e. in one slot of one TaskManager.
      command.add("--parallelism=" + CLUSTER_PARALLELISM);
    }
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("SPDIFF_THREADS", String.valueOf(DJL_THREADS));
    // The launcher's own JVM options (-Xmx12g, a lazily grown heap): with -Xmx1g the embedded
    // reference was not reproducible (GC-dependent training results; see infra/README.md).
    pb.environment().remove("SPDIFF_JAVA_OPTS");
    return pb.start();
  }

  /** The {@code name=value} counters of the "done in ..." line {@code spdiff run} prints. */
  private static Map<String, Long> counters(String out) {
    Matcher m = DONE.matcher(out);
    assertTrue(m.find(), "no 'done in' line in the output:\n" + tail(out));
    Map<String, Long> counters = new TreeMap<>();
    String parts = m.group(1) == null ? "" : m.group(1);
    for (String part : parts.split(";")) {
      String kv = part.strip();
      if (!kv.isEmpty()) {
        int eq = kv.indexOf('=');
        counters.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
      }
    }
    return counters;
  }

  private static String table(Path store, String experiment) throws IOException {
    return Files.readString(store.resolve("experiments/" + experiment + "/table.csv"));
  }

  private static Path awaitCheckpoint(Path teacherStage, Process spdiff, Path log)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!spdiff.isAlive()) {
        throw new AssertionError(
            "bin/spdiff run ended before the teacher's first checkpoint:\n"
                + tail(Files.readString(log)));
      }
      if (Files.isDirectory(teacherStage)) {
        try (Stream<Path> keys = Files.list(teacherStage)) {
          for (Path key : keys.toList()) {
            if (!Files.isDirectory(key)) {
              continue;
            }
            try (Stream<Path> attempts = Files.list(key)) {
              for (Path attempt : attempts.toList()) {
                Optional<Path> c = newestCheckpoint(attempt.resolve("checkpoints"));
                if (c.isPresent()) {
                  return c.get();
                }
              }
            }
          }
        } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
          // An attempt was published (moved) while listing: look again.
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no teacher checkpoint under " + teacherStage + " within 120 s");
  }

  /** The newest complete checkpoint folder (one with its manifest) under {@code checkpoints/}. */
  private static Optional<Path> newestCheckpoint(Path checkpoints) throws IOException {
    if (!Files.isDirectory(checkpoints)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(checkpoints)) {
      return s.filter(c -> Files.exists(c.resolve("checkpoint.json")))
          .max((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    }
  }

  /** Which TaskManager (1-based index of flink-up.sh) runs the teacher's training subtask. */
  private int taskManagerTraining(String job, Process spdiff, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!spdiff.isAlive()) {
        throw new AssertionError(
            "bin/spdiff run ended before the teacher ran:\n" + tail(Files.readString(log)));
      }
      for (JsonNode v : jobDetails(job).path("vertices")) {
        if (!v.path("name").asText().contains("TrainTeacher/Train")) {
          continue;
        }
        JsonNode vertex =
            JSON.readTree(cluster.rest("/jobs/" + job + "/vertices/" + v.path("id").asText()));
        for (JsonNode subtask : vertex.path("subtasks")) {
          if ("RUNNING".equals(subtask.path("status").asText())) {
            String tm = subtask.path("taskmanager-id").asText();
            for (int i = 1; i <= 2; i++) {
              if (tm.equals(cluster.taskManagerId(i))) {
                return i;
              }
            }
            throw new AssertionError("the teacher runs on an unknown TaskManager " + tm);
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no RUNNING teacher subtask in job " + job + " within 90 s");
  }

  /** Per checkpoint step: whether the weights of both folders are bitwise equal (a diagnosis). */
  private static String compareCheckpoints(Path a, Path b) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(a)) {
      for (Path c : s.toList()) {
        Path w = c.resolve("weights.safetensors");
        Path other = b.resolve(c.getFileName()).resolve("weights.safetensors");
        if (Files.exists(w) && Files.exists(other)) {
          out.put(c.getFileName().toString(), Files.mismatch(w, other) < 0 ? "equal" : "differ");
        }
      }
    }
    return out.toString();
  }

  // ---- the smoke pipeline ----

  private List<String> runPipeline(String master, Path output, long sleepMillis)
      throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--runner=FlinkRunner",
                "--flinkMaster=" + master,
                "--parallelism=2",
                "--elements=" + ELEMENTS,
                "--sleepMillis=" + sleepMillis,
                "--output=" + output));
    if (!master.equals("[local]")) {
      args.add("--filesToStage=" + jar); // the thin jar only: the cluster has its dependencies
    }
    ClusterSmokePipeline.Options options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .as(ClusterSmokePipeline.Options.class);
    PipelineResult.State state = ClusterSmokePipeline.run(options).waitUntilFinish();
    assertEquals(PipelineResult.State.DONE, state, "pipeline on " + master);
    List<String> lines = new ArrayList<>(Files.readAllLines(output));
    lines.sort((a, b) -> Integer.compare(key(a), key(b)));
    return lines;
  }

  /** The oracle: {@code sum_{k=0..i} k^2 = i(i+1)(2i+1)/6}. */
  private static List<String> expected() {
    List<String> lines = new ArrayList<>();
    for (long i = 0; i < ELEMENTS; i++) {
      lines.add(i + "\t" + i * (i + 1) * (2 * i + 1) / 6);
    }
    return lines;
  }

  // ---- the REST API ----

  private Set<String> jobIds() throws Exception {
    Set<String> ids = new HashSet<>();
    for (JsonNode j : JSON.readTree(cluster.rest("/jobs/overview")).path("jobs")) {
      ids.add(j.path("jid").asText());
    }
    return ids;
  }

  private String newJob(Set<String> before) throws Exception {
    Set<String> ids = jobIds();
    ids.removeAll(before);
    assertEquals(1, ids.size(), "one new job on the cluster: " + ids);
    return ids.iterator().next();
  }

  private String awaitRunningJob(Set<String> before) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      for (JsonNode j : JSON.readTree(cluster.rest("/jobs/overview")).path("jobs")) {
        if (!before.contains(j.path("jid").asText())
            && "RUNNING".equals(j.path("state").asText())) {
          return j.path("jid").asText();
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no job reached RUNNING within 60 s");
  }

  private JsonNode jobDetails(String job) throws Exception {
    JsonNode details = JSON.readTree(cluster.rest("/jobs/" + job));
    assertNotNull(details);
    return details;
  }

  private Set<String> taskManagersThatRan(String job) throws Exception {
    Set<String> ids = new HashSet<>();
    for (JsonNode v : jobDetails(job).path("vertices")) {
      JsonNode vertex =
          JSON.readTree(cluster.rest("/jobs/" + job + "/vertices/" + v.path("id").asText()));
      for (JsonNode subtask : vertex.path("subtasks")) {
        ids.add(subtask.path("taskmanager-id").asText());
      }
    }
    return ids;
  }

  private void stopQuietly() {
    try {
      if (cluster != null) {
        cluster.down();
      }
    } catch (Exception e) {
      System.err.println("flink-down failed: " + e);
    }
  }

  private static boolean hasJar(Path dir, String prefix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith(prefix));
    }
  }

  private static String tail(String out) {
    return out.length() <= 6000 ? out : "..." + out.substring(out.length() - 6000);
  }

  private static int key(String line) {
    return Integer.parseInt(line.substring(0, line.indexOf('\t')));
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void report(String what, long t0) {
    System.out.printf("TIMING %s: %.1f s%n", what, secs(t0));
  }
}
