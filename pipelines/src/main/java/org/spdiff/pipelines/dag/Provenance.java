package org.spdiff.pipelines.dag;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.util.ReleaseInfo;
import org.spdiff.pipelines.store.ArtifactStore;

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
    return json(stage, key, config, upstream, results, Map.of());
  }

  /**
   * The marker JSON of a completed stage that records what it consumed.
   *
   * @param consumed {@code <stage>/<key>} of each upstream key read to its content hash ({@link
   *     #consumed}); the report checks the chain ({@link ArtifactStore#checkConsumed})
   */
  public static String json(
      String stage,
      String key,
      Object config,
      List<String> upstream,
      Map<String, ?> results,
      Map<String, String> consumed) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("stage", stage);
    m.put("key", key);
    m.put("completedAt", Instant.now().toString());
    m.put("code", codeVersion());
    m.put("libraries", libraries());
    m.put("upstream", upstream);
    if (!consumed.isEmpty()) {
      m.put(ArtifactStore.CONSUMED, new java.util.TreeMap<>(consumed));
    }
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

  /**
   * {@code <stage>/<key>} to the content hash of a complete upstream key (the SHA-256 of the file
   * list its marker records: every file's size and hash), for {@link #json}.
   */
  public static Map<String, String> consumed(ArtifactStore store, String stage, String key) {
    return Map.of(stage + "/" + key, store.contentHash(stage, key));
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
