package org.spdiff.pipelines.prepare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.pipelines.prepare.records.RecordShards;

/**
 * The first 2000 images of each Fashion-MNIST split give byte-identical shards, dead letters and
 * manifest on the DirectRunner and on embedded Flink with parallelism 2.
 */
class RunnerDeterminismTest {
  static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

  @Test
  void directRunnerAndFlinkWriteTheSameBytes(@TempDir Path tmp) throws Exception {
    assumeTrue(Files.exists(FASHION.resolve("train-images-idx3-ubyte.gz")), "Fashion-MNIST");
    String[] common = {
      "--input=" + FASHION, "--limit=2000", "--numShards=3", "--resolution=32", "--channels=1"
    };
    Path direct = tmp.resolve("direct");
    Path flink = tmp.resolve("flink");
    PreparePipeline.run(Fixtures.directOptions(with(common, "--output=" + direct)))
        .waitUntilFinish();
    PrepareOptions f =
        PipelineOptionsFactory.fromArgs(
                with(
                    common,
                    "--output=" + flink,
                    "--runner=FlinkRunner",
                    "--flinkMaster=[local]",
                    "--parallelism=2"))
            .withValidation()
            .as(PrepareOptions.class);
    PreparePipeline.run(f).waitUntilFinish();

    List<Path> a = files(direct);
    List<Path> b = files(flink);
    assertEquals(a, b);
    assertEquals(
        List.of(
            Path.of("dead-letters/dead-letters.jsonl"),
            Path.of("manifest.json"),
            Path.of("records/test-00000-of-00003.tfrecord"),
            Path.of("records/test-00001-of-00003.tfrecord"),
            Path.of("records/test-00002-of-00003.tfrecord"),
            Path.of("records/train-00000-of-00003.tfrecord"),
            Path.of("records/train-00001-of-00003.tfrecord"),
            Path.of("records/train-00002-of-00003.tfrecord")),
        a);
    for (Path rel : a) {
      assertArrayEquals(
          Files.readAllBytes(direct.resolve(rel)),
          Files.readAllBytes(flink.resolve(rel)),
          rel.toString());
    }
    assertEquals(
        RecordShards.manifest(direct.toString()).path("contentHash"),
        RecordShards.manifest(flink.toString()).path("contentHash"));
    assertEquals(2000, RecordShards.readSplit(flink.toString(), "train").size());
  }

  @Test
  void imageFolderWithDeadLettersIsIdenticalOnBothRunners(@TempDir Path tmp) throws Exception {
    Path in = tmp.resolve("in");
    TestImages.writeFolder(in);
    String[] common = {"--input=" + in, "--numShards=2", "--resolution=16"};
    Path direct = tmp.resolve("direct");
    Path flink = tmp.resolve("flink");
    PreparePipeline.run(Fixtures.directOptions(with(common, "--output=" + direct)))
        .waitUntilFinish();
    PreparePipeline.run(
            PipelineOptionsFactory.fromArgs(
                    with(
                        common,
                        "--output=" + flink,
                        "--runner=FlinkRunner",
                        "--flinkMaster=[local]",
                        "--parallelism=2"))
                .withValidation()
                .as(PrepareOptions.class))
        .waitUntilFinish();
    List<Path> a = files(direct);
    assertEquals(a, files(flink));
    for (Path rel : a) {
      assertArrayEquals(
          Files.readAllBytes(direct.resolve(rel)),
          Files.readAllBytes(flink.resolve(rel)),
          rel.toString());
    }
    assertEquals(6, Files.readAllLines(flink.resolve("dead-letters/dead-letters.jsonl")).size());
  }

  private static String[] with(String[] a, String... more) {
    String[] out = java.util.Arrays.copyOf(a, a.length + more.length);
    System.arraycopy(more, 0, out, a.length, more.length);
    return out;
  }

  private static List<Path> files(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }
}
