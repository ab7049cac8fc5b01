package org.spdiff.pipelines.prepare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.spdiff.pipelines.cli.UsageException;
import org.spdiff.pipelines.prepare.records.ImageRecord;

/**
 * The Prepare stage as one composite transform: raw data set to record shards, dead letters and a
 * manifest. Output: one element, the path of the written {@code manifest.json}.
 *
 * <pre>
 * ReadSources ──records──► ConvertImages ─► WriteRecordShards ─┐
 *            └─dead letters──────────────► WriteDeadLetters ──┴─► CommitOutput (manifest last)
 * </pre>
 *
 * <p>{@link #of} validates the input and the output directory when the pipeline is built: a
 * structural error or a complete output (without {@code overwrite}) throws {@link UsageException}
 * before anything is written. Everything is written under {@code <output>/.tmp-<uuid>/} and moved
 * into place by the commit step.
 */
public final class Prepare extends PTransform<PBegin, PCollection<String>> {
  /** Namespace of this stage's Beam counters ({@code records}, {@code deadLetters_<reason>}). */
  public static final String METRICS_NAMESPACE = "spdiff.prepare";

  private final PrepareConfig config;
  private final SourcePlan plan;
  private final String tmpDir;

  private Prepare(PrepareConfig config, SourcePlan plan, String tmpDir) {
    this.config = config;
    this.plan = plan;
    this.tmpDir = tmpDir;
  }

  /** Validates input and output now; throws {@link UsageException} on a structural problem. */
  public static Prepare of(PrepareConfig config) {
    checkOutput(config);
    SourcePlan plan = SourcePlanner.plan(config);
    String tmp = PrepareFiles.join(config.output(), ".tmp-" + UUID.randomUUID());
    return new Prepare(config, plan, tmp);
  }

  private static void checkOutput(PrepareConfig config) {
    checkOutsideInput(config.input(), config.output());
    String marker = PrepareFiles.join(config.output(), PrepareManifest.FILE);
    try {
      if (PrepareFiles.exists(marker) && !config.overwrite()) {
        throw new UsageException(
            "output "
                + config.output()
                + " already holds a complete prepared data set (manifest.json); pass"
                + " --overwrite=true to replace it or choose another --output");
      }
      if (PrepareFiles.isLocal(config.output())
          && PrepareFiles.exists(config.output())
          && !PrepareFiles.isDirectory(config.output())) {
        throw new UsageException("output " + config.output() + " exists and is not a directory");
      }
    } catch (IOException e) {
      throw new UsageException("output " + config.output() + " is unreadable: " + e.getMessage());
    }
  }

  /**
   * Refuses an output equal to or inside the input, before any work: a rerun would read its own
   * records back as extra classes. Local paths are compared after resolving links.
   */
  static void checkOutsideInput(String input, String output) {
    boolean same;
    boolean inside;
    if (PrepareFiles.isLocal(input) && PrepareFiles.isLocal(output)) {
      Path in = real(input);
      Path out = real(output);
      same = out.equals(in);
      inside = out.startsWith(in);
    } else {
      same = output.equals(input);
      inside = (output + "/").startsWith(input + "/");
    }
    if (inside) {
      throw new UsageException(
          "--output "
              + output
              + (same ? " is the input " : " is inside the input ")
              + "--input "
              + input
              + ": prepare would read its own records back as data; choose an output outside the"
              + " input");
    }
  }

  /** The absolute path with links resolved as far as the path exists. */
  private static Path real(String local) {
    Path p =
        Path.of(local.startsWith("file://") ? local.substring(7) : local)
            .toAbsolutePath()
            .normalize();
    Path existing = p;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return p;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(p)).normalize();
    } catch (IOException e) {
      return p;
    }
  }

  public PrepareConfig config() {
    return config;
  }

  /** The validated plan (format, planned counts, label names, shape). */
  public SourcePlan plan() {
    return plan;
  }

  /** Where this run writes before committing. */
  public String tmpDir() {
    return tmpDir;
  }

  /** Removes this run's temporary directory (after a failed run). */
  public void cleanUp() throws IOException {
    PrepareFiles.deleteTree(tmpDir);
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    PCollectionTuple read = begin.apply("ReadSources", new ReadSources(plan));
    PCollection<ImageRecord> records =
        read.get(ReadSources.RECORDS)
            .apply("ConvertImages", new ConvertImages(plan.resolution(), plan.channels()));
    PCollectionView<Map<String, Long>> deadCounts =
        read.get(ReadSources.DEAD_LETTERS)
            .apply("WriteDeadLetters", new WriteDeadLetters(tmpDir))
            .apply("DeadLetterCounts", View.asSingleton());
    return records
        .apply("WriteRecordShards", new WriteRecordShards(plan, tmpDir))
        .apply("CommitOutput", new CommitOutput(config, plan, tmpDir, deadCounts));
  }
}
