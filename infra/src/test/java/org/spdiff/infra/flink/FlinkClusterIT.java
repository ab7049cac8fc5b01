package org.spdiff.infra.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

/**
 * A real multi-process Flink session cluster on 127.0.0.1 (one JobManager, two TaskManager JVMs,
 * started by {@code infra/flink/flink-up.sh}) runs a Beam pipeline that loads DJL; its output must
 * equal the embedded runner's. Then one TaskManager is killed with SIGKILL mid-job: the cluster's
 * fixed-delay restart strategy restarts the job and it completes with the same output. The cluster
 * is stopped whatever happens (after all tests, and from a shutdown hook).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlinkClusterIT {
  private static final int ELEMENTS = 24;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root =
      Path.of(System.getProperty("spdiff.root", "..")).toAbsolutePath().normalize();
  private final Path jar = root.resolve("pipelines/target/spdiff.jar");
  private FlinkCluster cluster;
  private Thread stopOnExit;
  private List<String> embedded;

  @BeforeAll
  void startCluster(@TempDir Path dir) throws Exception {
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

    // The reference: the same pipeline on the embedded Flink of this JVM.
    embedded = runPipeline("[local]", dir.resolve("embedded.tsv"), 0);
    assertEquals(expected(), embedded, "embedded runner output");

    cluster = new FlinkCluster(root, root.resolve("infra/target/flink-it"));
    stopOnExit = new Thread(this::stopQuietly, "flink-down");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    long t0 = System.nanoTime();
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
    report("job on the cluster (submit to done, fresh cluster)", t0);
    assertEquals(embedded, out, "cluster output equals the embedded runner's");

    String job = newJob(before);
    assertEquals("FINISHED", jobDetails(job).path("state").asText());
    Set<String> taskManagers = taskManagersThatRan(job);
    assertEquals(2, taskManagers.size(), "subtasks ran on both TaskManagers: " + taskManagers);
  }

  @Test
  @Order(2)
  void killedTaskManagerJobIsRestartedAndCompletes(@TempDir Path dir) throws Exception {
    Set<String> before = jobIds();
    long t0 = System.nanoTime();
    CompletableFuture<List<String>> result =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return runPipeline(cluster.master(), dir.resolve("fault.tsv"), 1000);
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            });
    String job = awaitRunningJob(before, result);
    Thread.sleep(4000); // the SumOfSquares subtasks are now busy with their elements
    String killedId = Files.readString(cluster.runDir().resolve("pids/taskmanager-1.id")).strip();
    long pid = cluster.taskManagerPid(1);
    ProcessHandle victim = ProcessHandle.of(pid).orElseThrow();
    assertTrue(victim.destroyForcibly(), "SIGKILL to TaskManager pid " + pid);
    victim.onExit().get(10, TimeUnit.SECONDS);
    long killedAt = System.nanoTime();
    System.out.printf(
        "killed TaskManager %s (pid %d) %.1f s after submission%n", killedId, pid, secs(t0));

    // A replacement TaskManager (flink-up.sh is idempotent: it starts only the missing one).
    cluster.up(2);
    report("replacement TaskManager registered after the kill", killedAt);

    List<String> out = result.get(240, TimeUnit.SECONDS);
    report("job with a killed TaskManager (kill to done)", killedAt);
    report("job with a killed TaskManager (submit to done)", t0);
    assertEquals(embedded, out, "output after recovery equals the embedded runner's");

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
  }

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

  private String awaitRunningJob(Set<String> before, CompletableFuture<?> result) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (result.isDone()) {
        result.get(); // surfaces a submission failure
        throw new AssertionError("the job finished before a TaskManager could be killed");
      }
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
    return JSON.readTree(cluster.rest("/jobs/" + job));
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
