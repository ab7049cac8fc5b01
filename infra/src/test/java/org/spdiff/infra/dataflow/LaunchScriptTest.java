package org.spdiff.infra.dataflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code infra/dataflow/launch.sh} with {@code DRY_RUN=1}: the exact flags it would pass. */
class LaunchScriptTest {
  private final Path root =
      Path.of(System.getProperty("spdiff.root", "..")).toAbsolutePath().normalize();

  private String[] run(String... env) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                "bash",
                root.resolve("infra/dataflow/launch.sh").toString(),
                "run",
                "experiments/demo.yaml")
            .redirectErrorStream(true);
    pb.environment().put("DRY_RUN", "1");
    for (String kv : env) {
      int eq = kv.indexOf('=');
      pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    Process p = pb.start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new String[] {String.valueOf(p.exitValue()), out};
  }

  @Test
  void passesTheDataflowGpuFlags() throws Exception {
    String[] r =
        run(
            "PROJECT=my-project",
            "REGION=us-central1",
            "BUCKET=my-bucket",
            "IMAGE=us-docker.pkg.dev/p/r/worker:1");
    assertEquals("0", r[0], r[1]);
    String out = r[1];
    for (String flag :
        List.of(
            "--runner=DataflowRunner",
            "--project=my-project",
            "--region=us-central1",
            "--tempLocation=gs://my-bucket/tmp",
            "--sdkContainerImage=us-docker.pkg.dev/p/r/worker:1",
            "--dataflowServiceOptions=worker_accelerator=type:nvidia-l4\\;count:1\\;install-nvidia-driver",
            "--workerMachineType=g2-standard-8",
            "--diskSizeGb=100",
            "--experiments=use_runner_v2",
            "--gpuAccelerator=type:nvidia-l4\\;count:1\\;install-nvidia-driver",
            "--filesToStage=" + root.resolve("pipelines/target/spdiff.jar"))) {
      assertTrue(out.contains(flag), flag + " missing from: " + out);
    }
    assertTrue(out.startsWith(root.resolve("bin/spdiff") + " run experiments/demo.yaml "), out);
    assertFalse(out.contains("pytorch-native-cpu"), "the CPU libtorch jar is not staged");
  }

  @Test
  void missingSettingsAreNamed() throws Exception {
    String[] r = run("PROJECT=", "REGION=us-central1", "BUCKET=b", "IMAGE=i");
    assertTrue(!r[0].equals("0") && r[1].contains("PROJECT"), r[1]);
  }
}
