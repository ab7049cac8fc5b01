package org.spdiff.pipelines.launch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;

/**
 * A small real pipeline that checks a runner deployment end to end: {@code elements} integers are
 * spread over the workers, a DJL step computes {@code sum_{k=0..i} k^2} for each with libtorch (the
 * GPU stage, carrying {@link GpuHints}), and one text file of {@code i<TAB>sum} lines is written
 * through Beam {@code FileSystems}. The output does not depend on the runner, parallelism or
 * retries, so two runs can be compared line by line.
 *
 * <pre>
 * java -cp pipelines/target/spdiff.jar org.spdiff.pipelines.launch.ClusterSmokePipeline \
 *   --runner=FlinkRunner --flinkMaster=localhost:8081 --filesToStage=pipelines/target/spdiff.jar \
 *   --output=/tmp/smoke.tsv
 * </pre>
 */
public final class ClusterSmokePipeline {
  /** Options of the smoke pipeline. */
  public interface Options extends GpuOptions {
    @Description("How many elements (each one DJL computation).")
    @Default.Integer(16)
    int getElements();

    void setElements(int value);

    @Description("Milliseconds each element sleeps after its computation (makes the job long).")
    @Default.Long(0)
    long getSleepMillis();

    void setSleepMillis(long value);

    @Description("Output file (local path or gs://), written as one shard.")
    @Validation.Required
    String getOutput();

    void setOutput(String value);
  }

  private ClusterSmokePipeline() {}

  /** Builds the pipeline on {@code options} without running it. */
  public static Pipeline build(Options options) {
    if (options.getElements() < 1) {
      throw new IllegalArgumentException("--elements must be >= 1, got " + options.getElements());
    }
    List<Integer> inputs = new ArrayList<>();
    for (int i = 0; i < options.getElements(); i++) {
      inputs.add(i);
    }
    Pipeline p = Pipeline.create(options);
    p.apply("Elements", Create.of(inputs))
        .apply("Spread", Reshuffle.viaRandomKey())
        .apply(
            "SumOfSquares",
            GpuHints.onGpu(ParDo.of(new SumOfSquaresFn(options.getSleepMillis())), options))
        .apply("Write", TextIO.write().to(options.getOutput()).withoutSharding());
    return p;
  }

  /** Builds and runs the pipeline; the caller waits on the result. */
  public static PipelineResult run(Options options) {
    return build(options).run();
  }

  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    PipelineResult.State state = run(options).waitUntilFinish();
    System.out.println("ClusterSmokePipeline: " + state + ", output " + options.getOutput());
    if (state != PipelineResult.State.DONE) {
      System.exit(1);
    }
  }

  /** {@code i -> "i<TAB>sum_{k=0..i} k^2"}, computed with libtorch through DJL. */
  static final class SumOfSquaresFn extends DoFn<Integer, String> {
    private final long sleepMillis;
    private transient NDManager manager;

    SumOfSquaresFn(long sleepMillis) {
      this.sleepMillis = sleepMillis;
    }

    @Setup
    public void setup() {
      manager = Engine.getEngine("PyTorch").newBaseManager();
    }

    @ProcessElement
    public void process(@Element Integer i, OutputReceiver<String> out)
        throws InterruptedException {
      long sum;
      try (NDManager step = manager.newSubManager()) {
        NDArray k = step.arange(i + 1).toType(DataType.INT64, false);
        sum = k.mul(k).sum().getLong();
      }
      if (sleepMillis > 0) {
        Thread.sleep(sleepMillis);
      }
      out.output(i + "\t" + sum);
    }

    @Teardown
    public void teardown() {
      if (manager != null) {
        manager.close();
      }
    }
  }
}
