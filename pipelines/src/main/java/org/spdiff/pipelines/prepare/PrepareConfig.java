package org.spdiff.pipelines.prepare;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.spdiff.pipelines.cli.UsageException;

/**
 * What {@link Prepare} does, as plain values (the experiment DAG builds one directly).
 *
 * @param input the raw data set: a directory (local path or any Beam {@code FileSystems} URI)
 * @param output the output directory; complete once {@code manifest.json} exists in it
 * @param format {@code auto}, {@code idx}, {@code images} or {@code cifar10}
 * @param resolution output side in pixels; 0 = the format's native size (IDX: 28, i.e. the files'
 *     own size; CIFAR-10: 32; image folders: {@link #DEFAULT_IMAGE_RESOLUTION})
 * @param channels 1 or 3; 0 = native (IDX 1, CIFAR-10 3, image folders 3)
 * @param numShards shards per split; 0 = one per {@link #RECORDS_PER_AUTO_SHARD} records (at least
 *     1)
 * @param split the split name for an image folder
 * @param limit keep only the first {@code limit} records of each split (0 = all)
 * @param overwrite replace a complete output instead of refusing
 */
public record PrepareConfig(
    String input,
    String output,
    String format,
    int resolution,
    int channels,
    int numShards,
    String split,
    long limit,
    boolean overwrite)
    implements Serializable {

  /** Default side for image folders. */
  public static final int DEFAULT_IMAGE_RESOLUTION = 32;

  /** Auto sharding target. */
  public static final int RECORDS_PER_AUTO_SHARD = 10_000;

  /** Validates the plain values (not the files: see {@link SourcePlanner}). */
  public PrepareConfig {
    if (input == null || input.isBlank()) {
      throw new UsageException("--input is required");
    }
    if (output == null || output.isBlank()) {
      throw new UsageException("--output is required");
    }
    input = stripSlash(input);
    output = stripSlash(output);
    format = format == null || format.isBlank() ? "auto" : format;
    try {
      SourceFormat.parse(format);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (resolution < 0 || resolution > 4096) {
      throw new UsageException("--resolution must be 0 (native) or 1..4096, not " + resolution);
    }
    if (channels != 0 && channels != 1 && channels != 3) {
      throw new UsageException("--channels must be 0 (native), 1 or 3, not " + channels);
    }
    if (numShards < 0 || numShards > 99_999) {
      throw new UsageException("--numShards must be 0 (auto) or 1..99999, not " + numShards);
    }
    split = split == null || split.isBlank() ? "train" : split;
    if (!split.matches("[A-Za-z0-9_]+")) {
      throw new UsageException("--split must be letters, digits or _, not '" + split + "'");
    }
    if (limit < 0) {
      throw new UsageException("--limit must be >= 0, not " + limit);
    }
  }

  /** A config with defaults for everything but the paths. */
  public static PrepareConfig of(String input, String output) {
    return new PrepareConfig(input, output, "auto", 0, 0, 0, "train", 0, false);
  }

  public PrepareConfig withLimit(long n) {
    return new PrepareConfig(
        input, output, format, resolution, channels, numShards, split, n, overwrite);
  }

  public PrepareConfig withResolution(int r) {
    return new PrepareConfig(
        input, output, format, r, channels, numShards, split, limit, overwrite);
  }

  public PrepareConfig withChannels(int c) {
    return new PrepareConfig(
        input, output, format, resolution, c, numShards, split, limit, overwrite);
  }

  public PrepareConfig withNumShards(int n) {
    return new PrepareConfig(
        input, output, format, resolution, channels, n, split, limit, overwrite);
  }

  public PrepareConfig withOverwrite(boolean o) {
    return new PrepareConfig(
        input, output, format, resolution, channels, numShards, split, limit, o);
  }

  public PrepareConfig withFormat(String f) {
    return new PrepareConfig(
        input, output, f, resolution, channels, numShards, split, limit, overwrite);
  }

  public PrepareConfig withOutput(String o) {
    return new PrepareConfig(
        input, o, format, resolution, channels, numShards, split, limit, overwrite);
  }

  /** From parsed command-line options. */
  public static PrepareConfig from(PrepareOptions o) {
    return new PrepareConfig(
        o.getInput(),
        o.getOutput(),
        o.getFormat(),
        o.getResolution(),
        o.getChannels(),
        o.getNumShards(),
        o.getSplit(),
        o.getLimit(),
        o.getOverwrite());
  }

  /**
   * The fields recorded in the manifest: everything that shapes the records (the output path and
   * overwrite flag are left out, so that equal inputs give equal manifests wherever they land).
   */
  public Map<String, Object> provenance() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input", input);
    m.put("format", format);
    m.put("resolution", resolution);
    m.put("channels", channels);
    m.put("numShards", numShards);
    m.put("split", split);
    m.put("limit", limit);
    return m;
  }

  private static String stripSlash(String s) {
    String t = s.strip();
    while (t.length() > 1 && t.endsWith("/") && !t.endsWith("://")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }
}
