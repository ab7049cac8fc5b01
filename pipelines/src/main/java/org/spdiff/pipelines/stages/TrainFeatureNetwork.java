package org.spdiff.pipelines.stages;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.launch.GpuHints;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * The network whose features every score uses: the prepared data in, the features key out (the
 * domain classifier trained, or the Inception weights checked).
 */
public final class TrainFeatureNetwork
    extends PTransform<PCollection<String>, PCollection<String>> {
  private final Plan plan;
  private final ArtifactStore store;

  private TrainFeatureNetwork(Plan plan, ArtifactStore store) {
    this.plan = plan;
    this.store = store;
  }

  public static TrainFeatureNetwork of(Plan plan, ArtifactStore store) {
    return new TrainFeatureNetwork(plan, store);
  }

  @Override
  public PCollection<String> expand(PCollection<String> prepared) {
    return prepared.apply(
        "Train",
        GpuHints.onGpu(
            ParDo.of(new FeatureNetStage.FeatureNetFn(plan, store)),
            prepared.getPipeline().getOptions()));
  }
}
