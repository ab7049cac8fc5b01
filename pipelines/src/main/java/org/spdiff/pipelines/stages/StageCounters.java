package org.spdiff.pipelines.stages;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Beam counters of the experiment (namespace {@code spdiff}), visible in the Flink and Dataflow UIs
 * and in {@code PipelineResult.metrics()}: {@code computed_<stage>} and {@code cached_<stage>} per
 * stage, {@code trainSteps} (optimizer steps run in this job), {@code imagesGenerated}, {@code
 * imagesScored}.
 */
public final class StageCounters {
  public static final String NAMESPACE = "spdiff";
  public static final String TRAIN_STEPS = "trainSteps";
  public static final String IMAGES_GENERATED = "imagesGenerated";
  public static final String IMAGES_SCORED = "imagesScored";

  private StageCounters() {}

  public static Counter computed(String stage) {
    return Metrics.counter(NAMESPACE, "computed_" + stage);
  }

  public static Counter cached(String stage) {
    return Metrics.counter(NAMESPACE, "cached_" + stage);
  }

  public static Counter of(String name) {
    return Metrics.counter(NAMESPACE, name);
  }

  /**
   * Passes elements through and counts each as {@code cached_<stage>}: for stages found complete
   * while the pipeline is built (counters exist only inside a running DoFn). Set the output coder.
   */
  public static final class CountCachedFn<T> extends DoFn<T, T> {
    private final String stage;

    public CountCachedFn(String stage) {
      this.stage = stage;
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<T> out) {
      cached(stage).inc();
      out.output(element);
    }
  }
}
