package org.spdiff.pipelines.prepare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.spdiff.pipelines.prepare.records.RecordFormat;

/**
 * Builds {@code manifest.json}: a pure function of the plan, the config and the shard summaries, so
 * that equal inputs give byte-equal manifests (no timestamps, no output path, no run ids).
 *
 * <pre>{@code
 * { "formatVersion": 1, "spdiffVersion", "sourceFormat", "resolution", "channels",
 *   "pixelOrder": "CHW", "labelNames": [...], "numClasses",
 *   "splits": { "<split>": { "count", "unlabelled", "classCounts": {name: n}, "labelCounts":
 *   {"<label>": n}, "shards": [{"file", "count", "bytes", "sha256"}] } },
 *   "contentHash", "contentHashMethod", "deadLetters": {"count", "byReason", "file"},
 *   "config": {...} }
 * }</pre>
 */
public final class PrepareManifest {
  /** Manifest layout version. */
  public static final int FORMAT_VERSION = 1;

  /** File name of the completion marker. */
  public static final String FILE = "manifest.json";

  /** How {@code contentHash} is computed. */
  public static final String HASH_METHOD =
      "sha256 of the concatenated shard files, splits in manifest order, shards ascending";

  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private PrepareManifest() {}

  /** The spdiff version from the jar's Maven metadata, or "dev" when run from classes. */
  public static String spdiffVersion() {
    try (InputStream in =
        PrepareManifest.class.getResourceAsStream(
            "/META-INF/maven/org.spdiff/spdiff-pipelines/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "dev");
      }
    } catch (IOException e) {
      // fall through
    }
    String v = PrepareManifest.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** The manifest document. {@code shards} must be sorted (split order of the plan, shard). */
  public static byte[] build(
      PrepareConfig config,
      SourcePlan plan,
      List<ShardSummary> shards,
      String contentHash,
      Map<String, Long> deadLetters)
      throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("formatVersion", FORMAT_VERSION);
    root.put("recordVersion", RecordFormat.VERSION);
    root.put("spdiffVersion", spdiffVersion());
    root.put("sourceFormat", plan.format().id());
    root.put("resolution", plan.resolution());
    root.put("channels", plan.channels());
    root.put("pixelOrder", "CHW");
    ArrayNode names = root.putArray("labelNames");
    plan.labelNames().forEach(names::add);
    root.put("numClasses", plan.labelNames().size());
    ObjectNode splits = root.putObject("splits");
    for (String split : plan.planned().keySet()) {
      ObjectNode s = splits.putObject(split);
      long count = 0;
      long unlabelled = 0;
      long[] perLabel = new long[plan.labelNames().size()];
      ArrayNode files = JSON.createArrayNode();
      for (ShardSummary sh : shards) {
        if (!sh.split().equals(split)) {
          continue;
        }
        count += sh.count();
        for (Map.Entry<Integer, Long> e : sh.labelCounts().entrySet()) {
          if (e.getKey() < 0) {
            unlabelled += e.getValue();
          } else {
            perLabel[e.getKey()] += e.getValue();
          }
        }
        ObjectNode f = files.addObject();
        f.put("file", sh.file());
        f.put("count", sh.count());
        f.put("bytes", sh.bytes());
        f.put("sha256", sh.sha256());
      }
      s.put("count", count);
      s.put("unlabelled", unlabelled);
      ObjectNode byName = s.putObject("classCounts");
      ObjectNode byLabel = s.putObject("labelCounts");
      for (int i = 0; i < perLabel.length; i++) {
        byName.put(plan.labelNames().get(i), perLabel[i]);
        byLabel.put(Integer.toString(i), perLabel[i]);
      }
      s.put("numShards", plan.shards().get(split));
      s.set("shards", files);
    }
    root.put("contentHash", contentHash);
    root.put("contentHashMethod", HASH_METHOD);
    ObjectNode dead = root.putObject("deadLetters");
    long total = deadLetters.values().stream().mapToLong(Long::longValue).sum();
    dead.put("count", total);
    ObjectNode byReason = dead.putObject("byReason");
    new java.util.TreeMap<>(deadLetters).forEach(byReason::put);
    dead.put("file", WriteDeadLetters.FILE);
    ObjectNode cfg = root.putObject("config");
    config.provenance().forEach((k, v) -> cfg.set(k, JSON.valueToTree(v)));
    return JSON.writeValueAsBytes(root);
  }
}
