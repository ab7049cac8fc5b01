package org.spdiff.pipelines.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.pipelines.prepare.records.RecordShards;

/**
 * Throughput of preparing all 70000 Fashion-MNIST images on embedded Flink. Excluded from normal
 * runs; {@code mvn -o test -pl pipelines -Dsurefire.groups=bench -Dsurefire.excludedGroups=
 * -Dtest=PrepareBenchmarkTest} runs it ({@code -Dbench.parallelism=N}, default 2).
 */
@Tag("bench")
class PrepareBenchmarkTest {

  @Test
  void fullFashionMnistOnEmbeddedFlink(@TempDir Path tmp) throws Exception {
    Path fashion = RunnerDeterminismTest.FASHION;
    assumeTrue(Files.exists(fashion.resolve("train-images-idx3-ubyte.gz")), "Fashion-MNIST");
    String parallelism = System.getProperty("bench.parallelism", "2");
    PrepareOptions options =
        PipelineOptionsFactory.fromArgs(
                "--input=" + fashion,
                "--output=" + tmp.resolve("out"),
                "--runner=FlinkRunner",
                "--flinkMaster=[local]",
                "--parallelism=" + parallelism)
            .withValidation()
            .as(PrepareOptions.class);
    long start = System.nanoTime();
    PreparePipeline.run(options).waitUntilFinish();
    double seconds = (System.nanoTime() - start) / 1e9;
    JsonNode m = RecordShards.manifest(tmp.resolve("out").toString());
    long n =
        m.path("splits").path("train").path("count").asLong()
            + m.path("splits").path("test").path("count").asLong();
    assertEquals(70_000, n);
    System.out.printf(
        "BENCH prepare fashion-mnist: %d records in %.2f s = %.0f records/s"
            + " (embedded Flink, parallelism %s, %d cores visible)%n",
        n, seconds, n / seconds, parallelism, Runtime.getRuntime().availableProcessors());
  }
}
