package org.spdiff.pipelines.prepare.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.spdiff.core.data.ImageSet;
import org.spdiff.pipelines.prepare.PrepareFiles;

/**
 * Reads a prepared output directory (one with {@code manifest.json}): the manifest, a whole split
 * into memory as an {@link ImageSet}, or a split as a Beam {@code PCollection<ImageRecord>}.
 * Records come back in index order with {@code index} = position in the split; CRCs are checked.
 */
public final class RecordShards {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RecordShards() {}

  /** The parsed manifest; fails if {@code dir} is not a complete prepared output. */
  public static JsonNode manifest(String dir) throws IOException {
    String path = PrepareFiles.join(dir, "manifest.json");
    if (!PrepareFiles.exists(path)) {
      throw new IOException(dir + " is not a complete prepared data set (no manifest.json)");
    }
    try (InputStream in = PrepareFiles.open(path)) {
      return JSON.readTree(in);
    }
  }

  /** Shard files of {@code split} relative to {@code dir}, with their first record index. */
  public static List<KV<String, Long>> shards(JsonNode manifest, String split) {
    JsonNode s = manifest.path("splits").path(split);
    if (s.isMissingNode()) {
      throw new IllegalArgumentException(
          "no split '"
              + split
              + "' (have "
              + manifest.path("splits").fieldNames().next()
              + ", ...)");
    }
    List<KV<String, Long>> out = new ArrayList<>();
    long first = 0;
    for (JsonNode f : s.path("shards")) {
      out.add(KV.of(f.path("file").asText(), first));
      first += f.path("count").asLong();
    }
    return out;
  }

  /** Reads one shard file; records are numbered from {@code firstIndex}. */
  public static List<ImageRecord> readShard(String path, String split, long firstIndex)
      throws IOException {
    List<ImageRecord> out = new ArrayList<>();
    try (InputStream in = PrepareFiles.open(path)) {
      byte[] payload;
      long index = firstIndex;
      while ((payload = RecordFormat.readFrame(in)) != null) {
        out.add(RecordFormat.decodePayload(payload, split, index++));
      }
    } catch (IOException e) {
      throw new IOException(path + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** Every record of {@code split}, in order. */
  public static List<ImageRecord> readRecords(String dir, String split) throws IOException {
    JsonNode m = manifest(dir);
    List<ImageRecord> out = new ArrayList<>();
    for (KV<String, Long> shard : shards(m, split)) {
      out.addAll(readShard(PrepareFiles.join(dir, shard.getKey()), split, shard.getValue()));
    }
    return out;
  }

  /**
   * Loads {@code split} into memory: CHW uint8 pixels, labels (-1 unlabelled) and the manifest's
   * class count, in record order.
   */
  public static ImageSet readSplit(String dir, String split) throws IOException {
    JsonNode m = manifest(dir);
    List<ImageRecord> records = readRecords(dir, split);
    int c = m.path("channels").asInt();
    int r = m.path("resolution").asInt();
    byte[][] pixels = new byte[records.size()][];
    int[] labels = new int[records.size()];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = records.get(i).pixels();
      labels[i] = records.get(i).label();
    }
    return new ImageSet(c, r, r, pixels, labels, m.path("numClasses").asInt());
  }

  /** A Beam source of the records of {@code split} under {@code dir} (manifest read at build). */
  public static PTransform<PBegin, PCollection<ImageRecord>> read(String dir, String split) {
    return new Read(dir, split);
  }

  private static final class Read extends PTransform<PBegin, PCollection<ImageRecord>> {
    private final String dir;
    private final String split;

    Read(String dir, String split) {
      this.dir = dir;
      this.split = split;
    }

    @Override
    public PCollection<ImageRecord> expand(PBegin begin) {
      List<KV<String, Long>> shards;
      try {
        shards = shards(manifest(dir), split);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      List<KV<String, Long>> paths = new ArrayList<>();
      for (KV<String, Long> s : shards) {
        paths.add(KV.of(PrepareFiles.join(dir, s.getKey()), s.getValue()));
      }
      return begin
          .apply(
              "ListShards",
              Create.of(paths).withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
          .apply("Spread", Reshuffle.viaRandomKey())
          .apply("ReadShard", ParDo.of(new ReadShardFn(split)))
          .setCoder(ImageRecordCoder.of());
    }
  }

  /** The prepared directory holding {@code manifestPath}. */
  public static String dirOf(String manifestPath) {
    int slash = manifestPath.lastIndexOf('/');
    return slash <= 0 ? "." : manifestPath.substring(0, slash);
  }

  /**
   * Reads {@code split} of the prepared outputs whose manifest paths arrive as elements (the output
   * of {@link org.spdiff.pipelines.prepare.Prepare}), so that a stage in the same pipeline reads
   * the shards only once they are committed.
   */
  public static PTransform<PCollection<String>, PCollection<ImageRecord>> readAfter(String split) {
    return new ReadAfter(split);
  }

  private static final class ReadAfter
      extends PTransform<PCollection<String>, PCollection<ImageRecord>> {
    private final String split;

    ReadAfter(String split) {
      this.split = split;
    }

    @Override
    public PCollection<ImageRecord> expand(PCollection<String> manifests) {
      return manifests
          .apply("ListShards", ParDo.of(new ListShardsFn(split)))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
          .apply("Spread", Reshuffle.viaRandomKey())
          .apply("ReadShard", ParDo.of(new ReadShardFn(split)))
          .setCoder(ImageRecordCoder.of());
    }
  }

  private static final class ListShardsFn extends DoFn<String, KV<String, Long>> {
    private final String split;

    ListShardsFn(String split) {
      this.split = split;
    }

    @ProcessElement
    public void process(@Element String manifestPath, OutputReceiver<KV<String, Long>> out)
        throws IOException {
      String dir = dirOf(manifestPath);
      for (KV<String, Long> s : shards(manifest(dir), split)) {
        out.output(KV.of(PrepareFiles.join(dir, s.getKey()), s.getValue()));
      }
    }
  }

  /** Reads one shard: (full path, index of its first record). */
  private static final class ReadShardFn extends DoFn<KV<String, Long>, ImageRecord> {
    private final String split;

    ReadShardFn(String split) {
      this.split = split;
    }

    @ProcessElement
    public void process(@Element KV<String, Long> shard, OutputReceiver<ImageRecord> out)
        throws IOException {
      for (ImageRecord r : readShard(shard.getKey(), split, shard.getValue())) {
        out.output(r);
      }
    }
  }
}
