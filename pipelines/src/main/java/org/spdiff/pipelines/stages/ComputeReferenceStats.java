package org.spdiff.pipelines.stages;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.launch.GpuHints;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * The real data's statistics every cell is scored against: the features key in, the reference key
 * out ({@link RefStatsStage}).
 */
public final class ComputeReferenceStats
    extends PTransform<PCollection<String>, PCollection<String>> {
  private final Plan plan;
  private final ArtifactStore store;

  private ComputeReferenceStats(Plan plan, ArtifactStore store) {
    this.plan = plan;
    this.store = store;
  }

  public static ComputeReferenceStats of(Plan plan, ArtifactStore store) {
    return new ComputeReferenceStats(plan, store);
  }

  @Override
  public PCollection<String> expand(PCollection<String> featureNet) {
    return featureNet.apply(
        "Compute",
        GpuHints.onGpu(
            ParDo.of(new RefStatsStage.RefStatsFn(plan, store)),
            featureNet.getPipeline().getOptions()));
  }
}
