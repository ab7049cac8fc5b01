package org.spdiff.pipelines.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeNoticeTest {

  @Test
  void lineRepeatsTheCommandLine() {
    String line =
        ResumeNotice.line("run", "exp.yaml", new String[] {"--store=/s", "--runner=X"}, "/s");
    assertEquals(
        "spdiff run: interrupted; complete stages and training checkpoints are kept in /s; "
            + "resume with: spdiff run exp.yaml --store=/s --runner=X",
        line);
  }

  /**
   * A real {@code spdiff run} in its own JVM, stopped while it trains: one resume line. SIGTERM,
   * not SIGINT: a shell that starts the build in the background makes its children ignore SIGINT,
   * and the JVM then installs no handler; both signals run the same shutdown hook.
   */
  @Test
  void stopPrintsHowToResume(@TempDir Path tmp) throws Exception {
    assumeTrue(
        Files.exists(ExperimentPipelineTest.FMNIST.resolve("train-images-idx3-ubyte.gz")),
        "Fashion-MNIST missing: bin/setup installs dataset-fashion-mnist");
    Path exp =
        Files.writeString(
            tmp.resolve("c.yaml"),
            StoreFaultsTest.STUDY
                .replace("name: f", "name: c")
                .replace("steps: 4,", "steps: 4000,"));
    Path store = tmp.resolve("store");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1",
                "org.spdiff.pipelines.cli.Spdiff",
                "run",
                exp.toString(),
                "--store=" + store,
                "--runner=DirectRunner")
            .redirectErrorStream(true)
            .start();
    StringBuilder out = new StringBuilder();
    CountDownLatch training = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                  synchronized (out) {
                    out.append(l).append('\n');
                  }
                  if (l.contains("[teacher] step")) {
                    training.countDown();
                  }
                }
              } catch (Exception ignored) {
                // The process ended.
              }
            });
    reader.start();
    try {
      assertTrue(training.await(240, TimeUnit.SECONDS), () -> "no training progress:\n" + out);
      new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running after SIGTERM");
    } finally {
      p.destroyForcibly();
    }
    reader.join(10_000);
    String text;
    synchronized (out) {
      text = out.toString();
    }
    List<String> notices = text.lines().filter(l -> l.contains(": interrupted;")).toList();
    assertEquals(1, notices.size(), text);
    assertTrue(
        notices
            .get(0)
            .endsWith(
                "resume with: spdiff run " + exp + " --store=" + store + " --runner=DirectRunner"),
        notices.get(0));
  }
}
