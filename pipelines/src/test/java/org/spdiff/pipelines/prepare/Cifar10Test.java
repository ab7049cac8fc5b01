package org.spdiff.pipelines.prepare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.pipelines.prepare.records.ImageRecord;
import org.spdiff.pipelines.prepare.records.RecordShards;

class Cifar10Test {

  @Test
  void parsesSyntheticBatchesWithLabelNamesAndBadLabels(@TempDir Path tmp) throws Exception {
    Path in = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
    ByteArrayOutputStream train = new ByteArrayOutputStream();
    train.write(Fixtures.cifarRecord(3, 1));
    train.write(Fixtures.cifarRecord(0, 2));
    train.write(Fixtures.cifarRecord(9, 3));
    Files.write(in.resolve("data_batch_1.bin"), train.toByteArray());
    ByteArrayOutputStream test = new ByteArrayOutputStream();
    test.write(Fixtures.cifarRecord(1, 4));
    test.write(Fixtures.cifarRecord(42, 5)); // no such class
    Files.write(in.resolve("test_batch.bin"), test.toByteArray());
    Files.writeString(
        in.resolve("batches.meta.txt"),
        "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n");
    Path out = tmp.resolve("out");

    PreparePipeline.run(Fixtures.directOptions("--input=" + in, "--output=" + out))
        .waitUntilFinish();

    JsonNode m = RecordShards.manifest(out.toString());
    assertEquals("cifar10", m.path("sourceFormat").asText());
    assertEquals(32, m.path("resolution").asInt());
    assertEquals(3, m.path("channels").asInt());
    assertEquals("cat", m.path("labelNames").get(3).asText());
    assertEquals(3, m.path("splits").path("train").path("count").asInt());
    assertEquals(1, m.path("splits").path("train").path("classCounts").path("truck").asInt());
    assertEquals(1, m.path("splits").path("test").path("count").asInt());
    assertEquals(1, m.path("deadLetters").path("byReason").path("bad-label").asInt());

    List<ImageRecord> records = RecordShards.readRecords(out.toString(), "train");
    assertEquals(List.of(3, 0, 9), records.stream().map(ImageRecord::label).toList());
    ImageRecord first = records.get(0);
    assertEquals("data_batch_1.bin#0", first.sourceId());
    // R, G, B planes are stored as they come (CIFAR-10 binary is already CHW).
    byte[] rec = Fixtures.cifarRecord(3, 1);
    assertArrayEquals(Arrays.copyOfRange(rec, 1, rec.length), first.pixels());
    assertEquals(
        "test_batch.bin#0", RecordShards.readRecords(out.toString(), "test").get(0).sourceId());
  }
}
