package org.spdiff.pipelines.dag;

import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.spdiff.pipelines.dag.Plan.Cell;
import org.spdiff.pipelines.report.ArmComparison;
import org.spdiff.pipelines.report.CellScore;
import org.spdiff.pipelines.stages.CompareArms;
import org.spdiff.pipelines.stages.ComputeReferenceStats;
import org.spdiff.pipelines.stages.Featurize;
import org.spdiff.pipelines.stages.GenerateSamples;
import org.spdiff.pipelines.stages.PrepareStage;
import org.spdiff.pipelines.stages.SampleShard;
import org.spdiff.pipelines.stages.ScoreCells;
import org.spdiff.pipelines.stages.TrainFeatureNetwork;
import org.spdiff.pipelines.stages.TrainTeacher;
import org.spdiff.pipelines.stages.TrainVariants;
import org.spdiff.pipelines.stages.TrainedModel;
import org.spdiff.pipelines.stages.WriteGrids;
import org.spdiff.pipelines.stages.WriteReport;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * The whole study as one Beam pipeline (see ARCHITECTURE.md), a short list of named composite
 * transforms:
 *
 * <pre>
 * Prepare ─► TrainFeatureNetwork ─► ComputeReferenceStats ──────────────────────┐ (side inputs)
 *    └─────► TrainTeacher ─► TrainVariants ─► GenerateSamples ─► Featurize ─► ScoreCells
 *                                                          ─► CompareArms ─► WriteReport
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
    PCollection<String> featureNet = null;
    PCollection<String> reference = null;
    PCollectionView<String> referenceView = null;
    if (plan.spec().teacher().evaluates()) {
      // The teacher's in-training evaluation needs the features and the reference first.
      featureNet = prepared.apply("TrainFeatureNetwork", TrainFeatureNetwork.of(plan, store));
      reference = featureNet.apply("ComputeReferenceStats", ComputeReferenceStats.of(plan, store));
      referenceView = reference.apply("ReferenceView", View.asSingleton());
    }
    PCollection<TrainedModel> teacher =
        prepared.apply(
            "TrainTeacher",
            referenceView == null
                ? TrainTeacher.of(plan, store)
                : TrainTeacher.evaluatedWith(plan, store, referenceView));
    PCollection<TrainedModel> variants =
        teacher.apply("TrainVariants", TrainVariants.of(plan, store));
    if (until == Until.TRAIN) {
      return;
    }
    Set<String> scored = completeScores(plan, store);
    PCollection<KV<String, SampleShard>> samples =
        variants.apply("GenerateSamples", GenerateSamples.of(plan, store, scored));
    if (until == Until.SAMPLE) {
      samples.apply("WriteGrids", WriteGrids.of(plan, store));
      return;
    }
    if (featureNet == null) {
      featureNet = prepared.apply("TrainFeatureNetwork", TrainFeatureNetwork.of(plan, store));
      reference = featureNet.apply("ComputeReferenceStats", ComputeReferenceStats.of(plan, store));
      referenceView = reference.apply("ReferenceView", View.asSingleton());
    }
    PCollectionView<String> featureView = featureNet.apply("FeatureNetView", View.asSingleton());
    PCollection<CellScore> scores =
        samples
            .apply("Featurize", Featurize.of(plan, store, featureView))
            .apply("ScoreCells", ScoreCells.of(plan, store, referenceView, scored));
    if (until == Until.SCORE) {
      return;
    }
    PCollection<ArmComparison> comparisons =
        scores.apply("CompareArms", CompareArms.of(plan, store));
    scores.apply("WriteReport", WriteReport.of(plan, store, comparisons));
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
