package org.spdiff.pipelines.stages;

import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.launch.GpuHints;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * Features and logits of every shard of samples, gathered per cell in shard order (so a cell's
 * features are row-aligned with its sample indices at any parallelism).
 */
public final class Featurize
    extends PTransform<
        PCollection<KV<String, SampleShard>>, PCollection<KV<String, List<ShardFeatures>>>> {
  private final Plan plan;
  private final ArtifactStore store;
  private final PCollectionView<String> featureNet;

  private Featurize(Plan plan, ArtifactStore store, PCollectionView<String> featureNet) {
    this.plan = plan;
    this.store = store;
    this.featureNet = featureNet;
  }

  /**
   * @param featureNet the completed feature network stage (waited for as a side input)
   */
  public static Featurize of(Plan plan, ArtifactStore store, PCollectionView<String> featureNet) {
    return new Featurize(plan, store, featureNet);
  }

  @Override
  public PCollection<KV<String, List<ShardFeatures>>> expand(
      PCollection<KV<String, SampleShard>> samples) {
    return samples
        .apply(
            "Extract",
            GpuHints.onGpu(
                ParDo.of(new ScoreStage.FeaturesFn(plan, store, featureNet))
                    .withSideInputs(featureNet),
                samples.getPipeline().getOptions()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), new StageCoders.ShardFeaturesCoder()))
        .apply("GatherCells", Combine.perKey(new ScoreStage.OrderedShardsFn()));
  }
}
