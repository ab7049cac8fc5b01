package org.spdiff.pipelines.stages;

import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.dag.Plan.Cell;
import org.spdiff.pipelines.launch.GpuHints;
import org.spdiff.pipelines.stages.GenerateStage.GenerateShardFn;
import org.spdiff.pipelines.stages.GenerateStage.ShardTask;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * Bulk generation: trained models in, the samples of every cell not yet scored out, as shards keyed
 * by the cell's score key. Each model fans out into its cells' seed ranges, which are spread over
 * workers.
 */
public final class GenerateSamples
    extends PTransform<PCollection<TrainedModel>, PCollection<KV<String, SampleShard>>> {
  private final Plan plan;
  private final ArtifactStore store;
  private final Set<String> scored;

  private GenerateSamples(Plan plan, ArtifactStore store, Set<String> scored) {
    this.plan = plan;
    this.store = store;
    this.scored = scored;
  }

  /**
   * @param scored score keys already complete in the store: their cells are not generated again
   */
  public static GenerateSamples of(Plan plan, ArtifactStore store, Set<String> scored) {
    return new GenerateSamples(plan, store, Set.copyOf(scored));
  }

  @Override
  public PCollection<KV<String, SampleShard>> expand(PCollection<TrainedModel> models) {
    return models
        .apply("PlanShards", ParDo.of(new PlanShardsFn(plan, scored)))
        .setCoder(SerializableCoder.of(ShardTask.class))
        .apply("SpreadShards", Reshuffle.viaRandomKey())
        .apply(
            "Sample",
            GpuHints.onGpu(
                ParDo.of(new GenerateShardFn(plan, store)), models.getPipeline().getOptions()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), new StageCoders.SampleShardCoder()));
  }

  /** The shards of every unscored cell of a trained model. */
  static final class PlanShardsFn extends DoFn<TrainedModel, ShardTask> {
    private final Plan plan;
    private final Set<String> scored;

    PlanShardsFn(Plan plan, Set<String> scored) {
      this.plan = plan;
      this.scored = scored;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      List<Cell> cells = plan.cells();
      for (int i = 0; i < cells.size(); i++) {
        Cell cell = cells.get(i);
        if (!cell.variantKey().equals(c.element().key())) {
          continue;
        }
        if (scored.contains(cell.scoreKey())) {
          // Its score is in the store: the samples are not needed again.
          StageCounters.cached(Plan.GENERATE).inc();
        } else {
          GenerateStage.shards(i, plan.spec().generation()).forEach(c::output);
        }
      }
    }
  }
}
