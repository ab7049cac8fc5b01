package org.spdiff.infra.flink;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Drives {@code infra/flink/flink-up.sh} / {@code flink-down.sh} for a test: free loopback ports, a
 * run dir of its own, the REST API on 127.0.0.1.
 */
final class FlinkCluster implements AutoCloseable {
  private final Path root;
  private final Path runDir;
  private final int restPort;
  private final int rpcPort;
  private final int djlThreads;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  /**
   * @param djlThreads libtorch intra-op threads of each TaskManager ({@code FLINK_TM_DJL_THREADS}):
   *     bitwise equality with an embedded run needs the same count there ({@code SPDIFF_THREADS})
   */
  FlinkCluster(Path root, Path runDir, int djlThreads) throws IOException {
    this.root = root;
    this.runDir = runDir;
    this.djlThreads = djlThreads;
    this.restPort = freePort();
    this.rpcPort = freePort();
  }

  /** {@code localhost:PORT}, the {@code --flinkMaster} of this cluster. */
  String master() {
    return "localhost:" + restPort;
  }

  Path runDir() {
    return runDir;
  }

  /** Runs {@code flink-up.sh numTm}; it returns when the REST API lists every TaskManager. */
  void up(int numTm) throws IOException, InterruptedException {
    script("flink-up.sh", String.valueOf(numTm));
  }

  void down() throws IOException, InterruptedException {
    script("flink-down.sh");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    down();
  }

  /** The resource id flink-up.sh gave TaskManager {@code i} (1-based) when it last started it. */
  String taskManagerId(int i) throws IOException {
    return Files.readString(runDir.resolve("pids/taskmanager-" + i + ".id")).strip();
  }

  /** The pid flink-up.sh recorded for TaskManager {@code i} (1-based). */
  long taskManagerPid(int i) throws IOException {
    return Long.parseLong(
        Files.readString(runDir.resolve("pids/taskmanager-" + i + ".pid")).strip());
  }

  /** GET on the REST API, the body as text. */
  String rest(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + path))
            .timeout(Duration.ofSeconds(5))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
    }
    return response.body();
  }

  private void script(String name, String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of("bash", root.resolve("infra/flink/" + name).toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("FLINK_RUN_DIR", runDir.toString());
    env.put("FLINK_REST_PORT", String.valueOf(restPort));
    env.put("FLINK_RPC_PORT", String.valueOf(rpcPort));
    env.put("FLINK_TM_DJL_THREADS", String.valueOf(djlThreads));
    Files.createDirectories(runDir);
    Path log = runDir.resolve(name + ".log");
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(name + " did not finish in 180 s; see " + log);
    }
    if (p.exitValue() != 0) {
      throw new IOException(
          name
              + " failed (exit "
              + p.exitValue()
              + "):\n"
              + Files.readString(log, StandardCharsets.UTF_8));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
