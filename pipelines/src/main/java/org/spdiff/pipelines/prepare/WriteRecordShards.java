package org.spdiff.pipelines.prepare;

import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.spdiff.pipelines.prepare.records.ImageRecord;
import org.spdiff.pipelines.prepare.records.ImageRecordCoder;
import org.spdiff.pipelines.prepare.records.RecordFormat;

/**
 * Writes records into deterministic shards under {@code dir}: record {@code i} of a split of {@code
 * n} planned records goes to shard {@code floor(i * shards / n)} (contiguous ranges), each shard is
 * grouped, sorted by index and written by this code (temp name, then rename), so the bytes do not
 * depend on the runner, parallelism or retries. Emits one {@link ShardSummary} per written shard
 * (shards that received no records are filled in by {@link CommitOutput}).
 */
public final class WriteRecordShards
    extends PTransform<PCollection<ImageRecord>, PCollection<ShardSummary>> {
  private final SourcePlan plan;
  private final String dir;

  public WriteRecordShards(SourcePlan plan, String dir) {
    this.plan = plan;
    this.dir = dir;
  }

  @Override
  public PCollection<ShardSummary> expand(PCollection<ImageRecord> records) {
    return records
        .apply("AssignShard", ParDo.of(new AssignShardFn(plan)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ImageRecordCoder.of()))
        .apply("GroupByShard", GroupByKey.create())
        .apply("WriteShard", ParDo.of(new WriteShardFn(plan, dir)))
        .setCoder(SerializableCoder.of(ShardSummary.class));
  }

  /** Keys a record by {@code split/shard}. */
  static final class AssignShardFn extends DoFn<ImageRecord, KV<String, ImageRecord>> {
    private final SourcePlan plan;

    AssignShardFn(SourcePlan plan) {
      this.plan = plan;
    }

    @ProcessElement
    public void process(@Element ImageRecord r, OutputReceiver<KV<String, ImageRecord>> out) {
      out.output(KV.of(r.split() + "/" + plan.shardOf(r.split(), r.index()), r));
    }
  }

  /** Sorts one shard's records by index and writes the file. */
  static final class WriteShardFn extends DoFn<KV<String, Iterable<ImageRecord>>, ShardSummary> {
    private final SourcePlan plan;
    private final String dir;

    WriteShardFn(SourcePlan plan, String dir) {
      this.plan = plan;
      this.dir = dir;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<ImageRecord>> group, OutputReceiver<ShardSummary> out)
        throws IOException {
      String key = group.getKey();
      int slash = key.lastIndexOf('/');
      String split = key.substring(0, slash);
      int shard = Integer.parseInt(key.substring(slash + 1));
      List<ImageRecord> records = new ArrayList<>();
      group.getValue().forEach(records::add);
      out.output(write(dir, split, shard, plan.shards().get(split), records));
    }
  }

  /** Writes one shard file (records sorted by index here) and summarises it. */
  public static ShardSummary write(
      String dir, String split, int shard, int numShards, List<ImageRecord> records)
      throws IOException {
    List<ImageRecord> sorted = new ArrayList<>(records);
    sorted.sort(Comparator.comparingLong(ImageRecord::index));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).index() == sorted.get(i - 1).index()) {
        throw new IllegalStateException(
            "two records with index " + sorted.get(i).index() + " in split " + split);
      }
    }
    String file = ShardSummary.fileName(split, shard, numShards);
    MessageDigest sha = sha256();
    long[] bytes = {0};
    TreeMap<Integer, Long> labels = new TreeMap<>();
    PrepareFiles.writeAtomically(
        PrepareFiles.join(dir, file),
        raw -> {
          OutputStream out =
              new java.io.BufferedOutputStream(new DigestOutputStream(raw, sha), 1 << 16);
          for (ImageRecord r : sorted) {
            byte[] payload = RecordFormat.encodePayload(r);
            RecordFormat.writeFrame(out, payload);
            bytes[0] += payload.length + 16L;
            labels.merge(r.label(), 1L, Long::sum);
          }
          out.flush();
        });
    return new ShardSummary(
        split,
        shard,
        file,
        sorted.size(),
        bytes[0],
        HexFormat.of().formatHex(sha.digest()),
        labels);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
