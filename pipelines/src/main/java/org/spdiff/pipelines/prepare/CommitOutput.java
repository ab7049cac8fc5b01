package org.spdiff.pipelines.prepare;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The last step: fills in empty shards, hashes the shards, moves records and dead letters from the
 * temporary directory into the output directory and writes {@code manifest.json} last (temp name +
 * rename). The output counts as complete only once the manifest exists. Emits the manifest path. An
 * output already committed with a byte-identical manifest (same content hash) is left as it is, so
 * a restarted job commits again without error.
 */
public final class CommitOutput extends PTransform<PCollection<ShardSummary>, PCollection<String>> {
  private final PrepareConfig config;
  private final SourcePlan plan;
  private final String tmpDir;
  private final PCollectionView<Map<String, Long>> deadLetters;

  public CommitOutput(
      PrepareConfig config,
      SourcePlan plan,
      String tmpDir,
      PCollectionView<Map<String, Long>> deadLetters) {
    this.config = config;
    this.plan = plan;
    this.tmpDir = tmpDir;
    this.deadLetters = deadLetters;
  }

  @Override
  public PCollection<String> expand(PCollection<ShardSummary> shards) {
    return shards
        .apply("CollectShards", Combine.globally(new CollectFn<ShardSummary>()))
        .apply(
            "WriteManifest",
            ParDo.of(new CommitFn(config, plan, tmpDir, deadLetters)).withSideInputs(deadLetters))
        .setCoder(StringUtf8Coder.of());
  }

  static final class CommitFn extends DoFn<List<ShardSummary>, String> {
    private final PrepareConfig config;
    private final SourcePlan plan;
    private final String tmpDir;
    private final PCollectionView<Map<String, Long>> deadLetters;

    CommitFn(
        PrepareConfig config,
        SourcePlan plan,
        String tmpDir,
        PCollectionView<Map<String, Long>> deadLetters) {
      this.config = config;
      this.plan = plan;
      this.tmpDir = tmpDir;
      this.deadLetters = deadLetters;
    }

    @ProcessElement
    public void process(
        @Element List<ShardSummary> written, ProcessContext c, OutputReceiver<String> out)
        throws IOException {
      out.output(commit(config, plan, tmpDir, written, c.sideInput(deadLetters)));
    }
  }

  /** Commits a finished temporary directory; returns the manifest path. */
  static String commit(
      PrepareConfig config,
      SourcePlan plan,
      String tmpDir,
      List<ShardSummary> written,
      Map<String, Long> deadLetters)
      throws IOException {
    Set<String> have = new HashSet<>();
    for (ShardSummary s : written) {
      have.add(s.file());
    }
    List<ShardSummary> all = new ArrayList<>();
    for (String split : plan.planned().keySet()) {
      int n = plan.shards().get(split);
      for (int shard = 0; shard < n; shard++) {
        String file = ShardSummary.fileName(split, shard, n);
        if (have.contains(file)) {
          for (ShardSummary s : written) {
            if (s.file().equals(file)) {
              all.add(s);
            }
          }
        } else {
          all.add(WriteRecordShards.write(tmpDir, split, shard, n, List.of()));
        }
      }
    }
    MessageDigest sha = WriteRecordShards.sha256();
    byte[] buf = new byte[1 << 16];
    for (ShardSummary s : all) {
      try (InputStream in = PrepareFiles.open(PrepareFiles.join(tmpDir, s.file()))) {
        int k;
        while ((k = in.read(buf)) > 0) {
          sha.update(buf, 0, k);
        }
      }
    }
    String hash = HexFormat.of().formatHex(sha.digest());
    byte[] manifest = PrepareManifest.build(config, plan, all, hash, deadLetters);

    String out = config.output();
    String marker = PrepareFiles.join(out, PrepareManifest.FILE);
    if (PrepareFiles.exists(marker)) {
      if (java.util.Arrays.equals(PrepareFiles.readAll(marker), manifest)) {
        // The same data is already committed: an earlier attempt of this job (Flink restarts a
        // failed batch job from scratch) or an identical run. Committing is idempotent.
        PrepareFiles.deleteTree(tmpDir);
        return marker;
      }
      if (!config.overwrite()) {
        throw new IOException(
            "output " + out + " became complete while this run was writing; not overwriting");
      }
      PrepareFiles.delete(marker);
    }
    PrepareFiles.deleteTree(PrepareFiles.join(out, "records"));
    PrepareFiles.deleteTree(PrepareFiles.join(out, "dead-letters"));
    for (ShardSummary s : all) {
      PrepareFiles.move(PrepareFiles.join(tmpDir, s.file()), PrepareFiles.join(out, s.file()));
    }
    PrepareFiles.move(
        PrepareFiles.join(tmpDir, WriteDeadLetters.FILE),
        PrepareFiles.join(out, WriteDeadLetters.FILE));
    PrepareFiles.writeAtomically(marker, o -> o.write(manifest));
    PrepareFiles.deleteTree(tmpDir);
    return marker;
  }
}
