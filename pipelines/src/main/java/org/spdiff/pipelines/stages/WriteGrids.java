package org.spdiff.pipelines.stages;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * For {@code spdiff sample}: once every shard of a cell is written, its sample grid, and its
 * generate key completed. Output: the generate keys.
 */
public final class WriteGrids
    extends PTransform<PCollection<KV<String, SampleShard>>, PCollection<String>> {
  private final Plan plan;
  private final ArtifactStore store;

  private WriteGrids(Plan plan, ArtifactStore store) {
    this.plan = plan;
    this.store = store;
  }

  public static WriteGrids of(Plan plan, ArtifactStore store) {
    return new WriteGrids(plan, store);
  }

  @Override
  public PCollection<String> expand(PCollection<KV<String, SampleShard>> samples) {
    return samples
        .apply("ShardIndex", ParDo.of(new ShardIndexFn()))
        .apply("ByCell", GroupByKey.create())
        .apply("Grids", ParDo.of(new GenerateStage.GridFn(plan, store)));
  }

  /** Drops the pixels: the grid is read back from the store. */
  static final class ShardIndexFn extends DoFn<KV<String, SampleShard>, KV<String, Integer>> {
    @ProcessElement
    public void process(ProcessContext c) {
      c.output(KV.of(c.element().getKey(), c.element().getValue().shard()));
    }
  }
}
