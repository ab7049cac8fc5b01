package org.spdiff.pipelines.prepare;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code spdiff prepare} as a pipeline: one {@link Prepare} transform. {@link #run} builds
 * (validating the input first) and starts it.
 */
public final class PreparePipeline {
  private PreparePipeline() {}

  /** A built, validated, not yet started pipeline. */
  public record Built(Pipeline pipeline, Prepare prepare) {}

  /** Builds the pipeline; structural input errors throw here, before anything is written. */
  public static Built build(PrepareOptions options) {
    PrepareConfig config = PrepareConfig.from(options);
    Pipeline pipeline = Pipeline.create(options);
    Prepare prepare = Prepare.of(config);
    pipeline.apply("Prepare", prepare);
    return new Built(pipeline, prepare);
  }

  /** Builds and runs the pipeline; the caller waits on the result. */
  public static PipelineResult run(PrepareOptions options) {
    return build(options).pipeline().run();
  }

  public static void main(String[] args) {
    PrepareOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(PrepareOptions.class);
    run(options).waitUntilFinish();
  }
}
