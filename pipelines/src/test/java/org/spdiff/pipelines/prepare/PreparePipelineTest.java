package org.spdiff.pipelines.prepare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.core.data.ImageSet;
import org.spdiff.pipelines.cli.Spdiff;
import org.spdiff.pipelines.prepare.records.ImageRecord;
import org.spdiff.pipelines.prepare.records.RecordShards;

/** End-to-end runs of {@code spdiff prepare} on the DirectRunner with small inputs. */
class PreparePipelineTest {

  private record Run(int status, String out, String err) {}

  private static Run cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    int status =
        new Spdiff(List.of(new PrepareCommand(o)))
            .execute(args, o, new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void imageFolderWithSixBadFilesGivesHundredRecordsAndSixDeadLetters(@TempDir Path tmp)
      throws Exception {
    Path in = tmp.resolve("in");
    TestImages.writeFolder(in);
    // Move the bad files to the top level (unlabelled position), next to the class folders.
    try (Stream<Path> bad = Files.list(in.resolve("bad"))) {
      for (Path p : bad.toList()) {
        Files.move(p, in.resolve(p.getFileName()));
      }
    }
    Files.delete(in.resolve("bad"));
    Path out = tmp.resolve("out");

    Run run = cli("prepare", "--input=" + in, "--output=" + out, "--runner=DirectRunner");
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().contains("100 records"), run.out());
    assertTrue(run.out().contains("dead letters: 6"), run.out());

    JsonNode m = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertEquals(100, m.path("splits").path("train").path("count").asInt());
    assertEquals(34, m.path("splits").path("train").path("classCounts").path("cat").asInt());
    assertEquals(33, m.path("splits").path("train").path("classCounts").path("dog").asInt());
    assertEquals(33, m.path("splits").path("train").path("classCounts").path("fox").asInt());
    assertEquals(6, m.path("deadLetters").path("count").asInt());
    JsonNode byReason = m.path("deadLetters").path("byReason");
    assertEquals(
        Set.of(
            "corrupt",
            "truncated",
            "zero-byte",
            "not-an-image",
            "unsupported-format",
            "absurd-dimensions"),
        fieldNames(byReason));
    byReason.forEach(n -> assertEquals(1, n.asInt()));

    List<String> lines = Files.readAllLines(out.resolve("dead-letters/dead-letters.jsonl"));
    assertEquals(6, lines.size());
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertEquals("corrupt.png", first.path("source").asText());
    assertFalse(first.path("firstBytesBase64").asText().isEmpty());

    ImageSet set = RecordShards.readSplit(out.toString(), "train");
    assertEquals(100, set.size());
    assertEquals(3, set.channels());
    assertEquals(32, set.height());
    assertEquals(3, set.numClasses());
    assertEquals(0, set.label(0)); // cat/img000.png sorts first
    try (Stream<Path> left = Files.list(out)) {
      assertEquals(
          Set.of("manifest.json", "records", "dead-letters"),
          new HashSet<>(left.map(p -> p.getFileName().toString()).toList()),
          "no temporary directory is left");
    }

    // A second run onto the complete output refuses; --overwrite replaces it with equal bytes.
    Run again = cli("prepare", "--input=" + in, "--output=" + out, "--runner=DirectRunner");
    assertEquals(2, again.status());
    assertTrue(again.err().contains("--overwrite"), again.err());
    byte[] before = Files.readAllBytes(out.resolve("manifest.json"));
    Run over =
        cli(
            "prepare",
            "--input=" + in,
            "--output=" + out,
            "--runner=DirectRunner",
            "--overwrite=true");
    assertEquals(0, over.status(), over.err());
    assertArrayEquals(before, Files.readAllBytes(out.resolve("manifest.json")));
  }

  private static Set<String> fieldNames(JsonNode n) {
    Set<String> s = new HashSet<>();
    n.fieldNames().forEachRemaining(s::add);
    return s;
  }

  @Test
  void idxFolderGivesBothSplitsWithResizeAndChannels(@TempDir Path tmp) throws Exception {
    Path in = Fixtures.idxFolder(tmp.resolve("mnist"));
    Path out = tmp.resolve("out");
    PreparePipeline.run(
            Fixtures.directOptions(
                "--input=" + in,
                "--output=" + out,
                "--numShards=2",
                "--resolution=6",
                "--channels=3"))
        .waitUntilFinish();
    JsonNode m = RecordShards.manifest(out.toString());
    assertEquals(7, m.path("splits").path("train").path("count").asInt());
    assertEquals(3, m.path("splits").path("test").path("count").asInt());
    assertEquals(List.of("0", "1", "2"), List.of(names(m)));
    assertEquals(2, m.path("splits").path("train").path("shards").size());
    List<ImageRecord> test = RecordShards.readRecords(out.toString(), "test");
    assertEquals(3, test.size());
    ImageRecord r = test.get(1);
    assertEquals(1, r.label());
    assertEquals("t10k-images-idx3-ubyte#1", r.sourceId());
    assertEquals(6, r.height());
    assertEquals(3, r.channels());
    // Enlarging 3 -> 6 (bilinear): the top-left output sits at source (-0.25) clamped to 0.
    assertEquals(10, r.pixels()[0] & 0xFF);
    assertEquals(r.pixels()[0], r.pixels()[36]); // gray replicated into G
  }

  private static String[] names(JsonNode m) {
    String[] out = new String[m.path("labelNames").size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = m.path("labelNames").get(i).asText();
    }
    return out;
  }
}
