package org.spdiff.pipelines.stages;

import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.launch.GpuHints;
import org.spdiff.pipelines.stages.TrainStage.Task;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * Stage 1: the prepared data in, the MSE teacher out (trained, resumed from its newest checkpoint,
 * or found complete in the store). One element.
 */
public final class TrainTeacher extends PTransform<PCollection<String>, PCollection<TrainedModel>> {
  private final Plan plan;
  private final ArtifactStore store;
  private final PCollectionView<String> reference;

  private TrainTeacher(Plan plan, ArtifactStore store, PCollectionView<String> reference) {
    this.plan = plan;
    this.store = store;
    this.reference = reference;
  }

  public static TrainTeacher of(Plan plan, ArtifactStore store) {
    return new TrainTeacher(plan, store, null);
  }

  /**
   * A teacher evaluated while it trains ({@code teacher.evalEvery}) waits for the reference
   * statistics (and so for the feature network).
   */
  public static TrainTeacher evaluatedWith(
      Plan plan, ArtifactStore store, PCollectionView<String> reference) {
    return new TrainTeacher(plan, store, reference);
  }

  @Override
  public PCollection<TrainedModel> expand(PCollection<String> prepared) {
    ParDo.SingleOutput<String, Task> task = ParDo.of(new TeacherTaskFn(plan, reference));
    return prepared
        .apply("TeacherTask", reference == null ? task : task.withSideInputs(reference))
        .setCoder(SerializableCoder.of(Task.class))
        .apply(
            "Train",
            GpuHints.onGpu(
                ParDo.of(new TrainStage.TrainFn(plan, store, null)),
                prepared.getPipeline().getOptions()));
  }

  /** The teacher's training job, once the data is prepared. */
  static final class TeacherTaskFn extends DoFn<String, Task> {
    private final Plan plan;
    private final PCollectionView<String> reference;

    TeacherTaskFn(Plan plan, PCollectionView<String> reference) {
      this.plan = plan;
      this.reference = reference;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      if (reference != null && !c.sideInput(reference).equals(plan.refKey())) {
        throw new IllegalStateException(
            "reference " + c.sideInput(reference) + " is not the plan's " + plan.refKey());
      }
      c.output(Task.teacher(plan));
    }
  }
}
