package org.spdiff.pipelines.stages;

import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
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

  private TrainTeacher(Plan plan, ArtifactStore store) {
    this.plan = plan;
    this.store = store;
  }

  public static TrainTeacher of(Plan plan, ArtifactStore store) {
    return new TrainTeacher(plan, store);
  }

  @Override
  public PCollection<TrainedModel> expand(PCollection<String> prepared) {
    return prepared
        .apply("TeacherTask", ParDo.of(new TeacherTaskFn(plan)))
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

    TeacherTaskFn(Plan plan) {
      this.plan = plan;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      c.output(Task.teacher(plan));
    }
  }
}
