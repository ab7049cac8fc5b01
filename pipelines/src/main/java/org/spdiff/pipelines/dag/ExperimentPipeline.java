package org.spdiff.pipelines.dag;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.spdiff.pipelines.dag.Plan.Cell;
import org.spdiff.pipelines.launch.GpuHints;
import org.spdiff.pipelines.report.CellScore;
import org.spdiff.pipelines.stages.FeatureNetStage.FeatureNetFn;
import org.spdiff.pipelines.stages.GenerateStage;
import org.spdiff.pipelines.stages.GenerateStage.GenerateShardFn;
import org.spdiff.pipelines.stages.GenerateStage.ShardTask;
import org.spdiff.pipelines.stages.PrepareStage;
import org.spdiff.pipelines.stages.RefStatsStage.RefStatsFn;
import org.spdiff.pipelines.stages.ReportStage.ReportFn;
import org.spdiff.pipelines.stages.SampleShard;
import org.spdiff.pipelines.stages.ScoreStage;
import org.spdiff.pipelines.stages.StageCoders;
import org.spdiff.pipelines.stages.TrainStage;
import org.spdiff.pipelines.stages.TrainStage.Task;
import org.spdiff.pipelines.stages.TrainedModel;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * The whole study as one Beam pipeline (see ARCHITECTURE.md):
 *
 * <pre>
 * Prepare ─► FeatureNetwork ─► ReferenceStats ───────────────────────────┐ (side inputs)
 *    └─────► Teacher ─(side input)─► Reshuffle ─► TrainVariants ─► PlanShards ─► Reshuffle
 *            ─► Generate ─► Features ─► Combine.perKey(cell) ─► Score ─┬─► Report
 *                                            scores already in the store ─┘
 * </pre>
 *
 * <p>Completed keys are pruned while the graph is built (a scored cell is not regenerated) and
 * checked again by every stage when it runs, so a rerun does no work that is already done.
 */
public final class ExperimentPipeline {

  /** How far a command goes. */
  public enum Until {
    TRAIN,
    SAMPLE,
    SCORE,
    REPORT
  }

  private ExperimentPipeline() {}

  /** Adds the study's stages to {@code p}. */
  public static void build(Pipeline p, Plan plan, ArtifactStore store, Until until) {
    PCollection<String> prepared = p.apply("Prepare", PrepareStage.of(plan, store));

    // Training: the teacher, then every variant (one element each, spread over workers).
    PCollection<TrainedModel> teacher =
        prepared
            .apply(
                "TeacherTask",
                ParDo.of(
                    new DoFn<String, Task>() {
                      @ProcessElement
                      public void process(ProcessContext c) {
                        c.output(
                            new Task(
                                Plan.TEACHER,
                                plan.spec().teacher().name(),
                                plan.teacherKey(),
                                null));
                      }
                    }))
            .apply("Teacher", gpu(ParDo.of(new TrainStage.TrainFn(plan, store, null)), p));
    PCollectionView<TrainedModel> teacherView = teacher.apply("TeacherView", View.asSingleton());
    List<Task> variantTasks = new ArrayList<>();
    for (Plan.VariantStage v : plan.variants()) {
      variantTasks.add(new Task(Plan.VARIANT, v.spec().name(), v.key(), plan.teacherKey()));
    }
    PCollection<TrainedModel> variants =
        p.apply("VariantTasks", Create.of(variantTasks).withCoder(SerializableCoder.of(Task.class)))
            .apply("SpreadVariants", Reshuffle.viaRandomKey())
            .apply(
                "TrainVariants",
                gpu(
                    ParDo.of(new TrainStage.TrainFn(plan, store, teacherView))
                        .withSideInputs(teacherView),
                    p));
    if (until == Until.TRAIN) {
      return;
    }

    // Generation: cells not yet scored, fanned out over seed ranges.
    Set<String> scored = completeScores(plan, store);
    PCollection<KV<String, SampleShard>> samples =
        variants
            .apply(
                "PlanShards",
                ParDo.of(
                    new DoFn<TrainedModel, ShardTask>() {
                      @ProcessElement
                      public void process(ProcessContext c) {
                        List<Cell> cells = plan.cells();
                        for (int i = 0; i < cells.size(); i++) {
                          Cell cell = cells.get(i);
                          if (cell.variantKey().equals(c.element().key())
                              && !scored.contains(cell.scoreKey())) {
                            GenerateStage.shards(i, plan.spec().generation()).forEach(c::output);
                          }
                        }
                      }
                    }))
            .setCoder(SerializableCoder.of(ShardTask.class))
            .apply("SpreadShards", Reshuffle.viaRandomKey())
            .apply("Generate", gpu(ParDo.of(new GenerateShardFn(plan, store)), p))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), new StageCoders.SampleShardCoder()));
    if (until == Until.SAMPLE) {
      samples
          .apply(
              "ShardIndex",
              ParDo.of(
                  new DoFn<KV<String, SampleShard>, KV<String, Integer>>() {
                    @ProcessElement
                    public void process(ProcessContext c) {
                      c.output(KV.of(c.element().getKey(), c.element().getValue().shard()));
                    }
                  }))
          .apply("ByCell", GroupByKey.create())
          .apply("Grids", ParDo.of(new GenerateStage.GridFn(plan, store)));
      return;
    }

    // Scoring: features per shard, fan-in per cell in shard order, then FID/IS/KID.
    PCollection<String> featureNet =
        prepared.apply("FeatureNetwork", gpu(ParDo.of(new FeatureNetFn(plan, store)), p));
    PCollection<String> ref =
        featureNet.apply("ReferenceStats", gpu(ParDo.of(new RefStatsFn(plan, store)), p));
    PCollectionView<String> featureView = featureNet.apply("FeatureNetView", View.asSingleton());
    PCollectionView<String> refView = ref.apply("ReferenceView", View.asSingleton());
    PCollection<CellScore> computed =
        samples
            .apply(
                "Features",
                gpu(
                    ParDo.of(new ScoreStage.FeaturesFn(plan, store, featureView))
                        .withSideInputs(featureView),
                    p))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), new StageCoders.ShardFeaturesCoder()))
            .apply("GatherCells", Combine.perKey(new ScoreStage.OrderedShardsFn()))
            .apply(
                "Score",
                ParDo.of(new ScoreStage.ScoreCellFn(plan, store, refView)).withSideInputs(refView))
            .setCoder(SerializableCoder.of(CellScore.class));
    List<CellScore> cached = new ArrayList<>();
    for (Cell cell : plan.cells()) {
      if (scored.contains(cell.scoreKey())) {
        try {
          cached.add(ScoreStage.cached(store, cell));
        } catch (IOException e) {
          throw new IllegalStateException("cannot read the stored score of " + cell.label(), e);
        }
      }
    }
    PCollection<CellScore> fromStore =
        p.apply("StoredScores", Create.of(cached).withCoder(SerializableCoder.of(CellScore.class)));
    PCollection<CellScore> all =
        PCollectionList.of(computed).and(fromStore).apply("AllScores", Flatten.pCollections());
    if (until == Until.SCORE) {
      return;
    }
    all.apply("OneReport", WithKeys.of("report"))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(CellScore.class)))
        .apply("GatherScores", GroupByKey.create())
        .apply("Report", ParDo.of(new ReportFn(plan, store)));
  }

  /**
   * Marks a stage that runs a network: it asks for an accelerator when {@code --gpuAccelerator} is
   * set.
   */
  private static <T extends org.apache.beam.sdk.transforms.PTransform<?, ?>> T gpu(
      T t, Pipeline p) {
    return GpuHints.onGpu(t, p.getOptions());
  }

  /** Score keys already complete in the store (their cells are neither generated nor scored). */
  static Set<String> completeScores(Plan plan, ArtifactStore store) {
    Set<String> out = new java.util.HashSet<>();
    for (Cell c : plan.cells()) {
      if (store.isComplete(Plan.SCORE, c.scoreKey())) {
        out.add(c.scoreKey());
      }
    }
    return out;
  }
}
