package org.spdiff.pipelines.dag;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.util.ReleaseInfo;

/**
 * What every artifact carries: its stage and key, its config, upstream keys, the code version and
 * the library versions. Written as the key's completion marker, so a complete key always has it.
 */
public final class Provenance {
  private Provenance() {}

  /** The spdiff version (from the jar manifest) and commit (set by bin/spdiff), if known. */
  public static String codeVersion() {
    String v = Provenance.class.getPackage().getImplementationVersion();
    String commit = System.getProperty("spdiff.commit", "");
    return (v == null ? "dev" : v) + (commit.isEmpty() ? "" : "+" + commit);
  }

  /** Library versions that can change numbers: Beam, DJL, the PyTorch engine, Java. */
  public static Map<String, String> libraries() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("beam", ReleaseInfo.getReleaseInfo().getSdkVersion());
    m.put("djl", version("ai.djl.engine.Engine"));
    m.put("pytorch", pytorchVersion());
    m.put("java", System.getProperty("java.version"));
    return m;
  }

  /** The marker JSON of a completed stage. */
  public static String json(
      String stage, String key, Object config, List<String> upstream, Map<String, ?> results) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("stage", stage);
    m.put("key", key);
    m.put("completedAt", Instant.now().toString());
    m.put("code", codeVersion());
    m.put("libraries", libraries());
    m.put("upstream", upstream);
    m.put("config", config);
    m.put("results", results);
    try {
      return StageKey.CANONICAL
              .copy()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(m)
          + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write provenance of " + stage + "/" + key, e);
    }
  }

  private static String version(String className) {
    try {
      Package p = Class.forName(className).getPackage();
      String v = p.getImplementationVersion();
      return v == null ? "unknown" : v;
    } catch (ClassNotFoundException e) {
      return "absent";
    }
  }

  private static String pytorchVersion() {
    try {
      return ai.djl.engine.Engine.getEngine("PyTorch").getVersion();
    } catch (RuntimeException e) {
      return "unavailable";
    }
  }
}
