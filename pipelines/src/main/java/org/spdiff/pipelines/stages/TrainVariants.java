package org.spdiff.pipelines.stages;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.launch.GpuHints;
import org.spdiff.pipelines.stages.TrainStage.Task;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * Stage 2: the teacher in, every training replicate of every variant out, one element each, spread
 * over workers (the teacher reaches them as a side input, so they start once it is complete).
 */
public final class TrainVariants
    extends PTransform<PCollection<TrainedModel>, PCollection<TrainedModel>> {
  private final Plan plan;
  private final ArtifactStore store;

  private TrainVariants(Plan plan, ArtifactStore store) {
    this.plan = plan;
    this.store = store;
  }

  public static TrainVariants of(Plan plan, ArtifactStore store) {
    return new TrainVariants(plan, store);
  }

  @Override
  public PCollection<TrainedModel> expand(PCollection<TrainedModel> teacher) {
    PCollectionView<TrainedModel> teacherView = teacher.apply("TeacherView", View.asSingleton());
    // Two arms with the same parameters share a key: train it once.
    List<Task> tasks = new ArrayList<>();
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (Plan.VariantStage v : plan.variants()) {
      if (keys.add(v.key())) {
        tasks.add(Task.variant(plan, v));
      }
    }
    return teacher
        .getPipeline()
        .apply("VariantTasks", Create.of(tasks).withCoder(SerializableCoder.of(Task.class)))
        .apply("SpreadVariants", Reshuffle.viaRandomKey())
        .apply(
            "Train",
            GpuHints.onGpu(
                ParDo.of(new TrainStage.TrainFn(plan, store, teacherView))
                    .withSideInputs(teacherView),
                teacher.getPipeline().getOptions()));
  }
}
