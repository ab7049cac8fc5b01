package org.spdiff.pipelines.stages;

import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.dag.Progress;
import org.spdiff.pipelines.dag.Provenance;
import org.spdiff.pipelines.experiment.ExperimentSpec.DataSpec;
import org.spdiff.pipelines.prepare.Prepare;
import org.spdiff.pipelines.prepare.PrepareConfig;
import org.spdiff.pipelines.prepare.PrepareFiles;
import org.spdiff.pipelines.prepare.PrepareManifest;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * The study's Prepare stage: the {@link Prepare} transform writing into {@code
 * <store>/prepare/<key>/}, or nothing when that key is complete. Output: one element, the prepared
 * folder.
 */
public final class PrepareStage extends PTransform<PBegin, PCollection<String>> {
  private final Plan plan;
  private final ArtifactStore store;

  private PrepareStage(Plan plan, ArtifactStore store) {
    this.plan = plan;
    this.store = store;
  }

  public static PrepareStage of(Plan plan, ArtifactStore store) {
    return new PrepareStage(plan, store);
  }

  /** The Prepare configuration of the study's data. */
  public static PrepareConfig config(DataSpec d, String output) {
    return PrepareConfig.of(d.source(), output)
        .withFormat(d.format())
        .withResolution(d.resolution())
        .withChannels(d.channels())
        .withLimit(d.limit());
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    String key = plan.prepareKey();
    String dir = store.dir(Plan.PREPARE, key);
    if (store.isComplete(Plan.PREPARE, key)) {
      Progress.note("prepare", "complete in the store (" + key + ")");
      return begin
          .apply("PreparedData", Create.of(dir))
          .apply("CountCached", ParDo.of(new StageCounters.CountCachedFn<String>(Plan.PREPARE)))
          .setCoder(StringUtf8Coder.of());
    }
    try {
      if (PrepareFiles.exists(PrepareFiles.join(dir, PrepareManifest.FILE))) {
        // A previous run committed the data but stopped before its marker.
        mark(plan, store);
        return begin.apply("PreparedData", Create.of(dir));
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read " + dir, e);
    }
    return begin
        .apply("PrepareData", Prepare.of(config(plan.spec().data(), dir)))
        .apply("MarkPrepared", ParDo.of(new MarkFn(plan, store)));
  }

  static void mark(Plan plan, ArtifactStore store) {
    String key = plan.prepareKey();
    store.markComplete(
        Plan.PREPARE,
        key,
        Provenance.json(
            Plan.PREPARE,
            key,
            plan.spec().data(),
            List.of(),
            java.util.Map.of("dir", store.dir(Plan.PREPARE, key))));
  }

  static final class MarkFn extends DoFn<String, String> {
    private final Plan plan;
    private final ArtifactStore store;

    MarkFn(Plan plan, ArtifactStore store) {
      this.plan = plan;
      this.store = store;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      mark(plan, store);
      StageCounters.computed(Plan.PREPARE).inc();
      c.output(store.dir(Plan.PREPARE, plan.prepareKey()));
    }
  }
}
