package org.spdiff.infra.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parses {@code infra/k8s/flink-deployment.yaml} and checks the fields spdiff relies on. This is
 * not a schema validation (no CRD schema or kubectl here): it catches YAML and field mistakes only.
 */
class FlinkDeploymentTest {
  private static JsonNode spec;
  private static JsonNode root;

  @BeforeAll
  static void parse() throws Exception {
    Path file =
        Path.of(System.getProperty("spdiff.root", "..")).resolve("infra/k8s/flink-deployment.yaml");
    root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    spec = root.path("spec");
  }

  @Test
  void isAFlink119SessionCluster() {
    assertEquals("flink.apache.org/v1beta1", root.path("apiVersion").asText());
    assertEquals("FlinkDeployment", root.path("kind").asText());
    assertEquals("v1_19", spec.path("flinkVersion").asText());
    assertFalse(spec.has("job"), "a session cluster has no job section");
    assertTrue(spec.path("image").asText().contains("spdiff/flink"));
  }

  @Test
  void djlLoadsParentFirstAndJobsRestart() {
    JsonNode conf = spec.path("flinkConfiguration");
    assertEquals("parent-first", conf.path("classloader.resolve-order").asText());
    assertTrue(
        conf.path("classloader.parent-first-patterns.additional").asText().contains("ai.djl."));
    assertEquals("fixed-delay", conf.path("restart-strategy.type").asText());
    assertTrue(conf.path("restart-strategy.fixed-delay.attempts").asInt() > 0);
    assertEquals("8081", conf.path("rest.port").asText());
  }

  @Test
  void taskManagersRunOnTheGpuPool() {
    JsonNode pod = spec.path("taskManager").path("podTemplate").path("spec");
    assertEquals(
        "nvidia-l4", pod.path("nodeSelector").path("cloud.google.com/gke-accelerator").asText());
    JsonNode toleration = pod.path("tolerations").get(0);
    assertEquals("nvidia.com/gpu", toleration.path("key").asText());
    assertEquals("NoSchedule", toleration.path("effect").asText());
    JsonNode main = pod.path("containers").get(0);
    assertEquals("flink-main-container", main.path("name").asText());
    assertEquals(1, main.path("resources").path("limits").path("nvidia.com/gpu").asInt());
    boolean offline = false;
    for (JsonNode env : main.path("env")) {
      if (env.path("name").asText().equals("JAVA_TOOL_OPTIONS")) {
        offline = env.path("value").asText().contains("-Dai.djl.offline=true");
      }
    }
    assertTrue(offline, "TaskManagers run DJL offline from the image's cache");
    assertEquals(1, spec.path("flinkConfiguration").path("taskmanager.numberOfTaskSlots").asInt());
  }
}
