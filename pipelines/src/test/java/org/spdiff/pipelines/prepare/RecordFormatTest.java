package org.spdiff.pipelines.prepare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.io.TFRecordIO;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.pipelines.prepare.records.ImageRecord;
import org.spdiff.pipelines.prepare.records.RecordFormat;
import org.spdiff.pipelines.prepare.records.RecordShards;

class RecordFormatTest {

  private static ImageRecord sample(long index, String id) {
    byte[] px = new byte[2 * 3 * 4];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (i * 11 + index);
    }
    return new ImageRecord("train", index, id, 7, 3, 4, 2, px);
  }

  @Test
  void payloadLayoutIsAsDocumented() throws IOException {
    ImageRecord r = sample(0, "a/é.png");
    byte[] p = RecordFormat.encodePayload(r);
    byte[] id = "a/é.png".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(4 + 1 + 16 + 2 + id.length + 24, p.length);
    assertArrayEquals("SPDR".getBytes(), java.util.Arrays.copyOf(p, 4));
    assertEquals(1, p[4]);
    assertEquals(3, p[8]); // height, big-endian int at 5..8
    assertEquals(4, p[12]);
    assertEquals(2, p[16]);
    assertEquals(7, p[20]);
    assertEquals(id.length, ((p[21] & 0xFF) << 8) | (p[22] & 0xFF));
    assertEquals(r, RecordFormat.decodePayload(p, "train", 0));
    ImageRecord unlabelled = new ImageRecord("t", 5, "", -1, 1, 1, 1, new byte[] {(byte) 200});
    assertEquals(
        unlabelled, RecordFormat.decodePayload(RecordFormat.encodePayload(unlabelled), "t", 5));
  }

  @Test
  void framesRoundTripAndCrcErrorsAreCaught() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RecordFormat.writeFrame(out, RecordFormat.encodePayload(sample(0, "x")));
    RecordFormat.writeFrame(out, RecordFormat.encodePayload(sample(1, "y")));
    byte[] file = out.toByteArray();
    ByteArrayInputStream in = new ByteArrayInputStream(file);
    assertEquals(
        sample(0, "x"), RecordFormat.decodePayload(RecordFormat.readFrame(in), "train", 0));
    assertEquals(
        sample(1, "y"), RecordFormat.decodePayload(RecordFormat.readFrame(in), "train", 1));
    assertNull(RecordFormat.readFrame(in));

    byte[] flipped = file.clone();
    flipped[30] ^= 1;
    assertThrows(
        IOException.class,
        () -> RecordFormat.readFrame(new ByteArrayInputStream(flipped)),
        "payload CRC");
    byte[] cut = java.util.Arrays.copyOf(file, file.length - 3);
    ByteArrayInputStream cutIn = new ByteArrayInputStream(cut);
    RecordFormat.readFrame(cutIn);
    assertThrows(IOException.class, () -> RecordFormat.readFrame(cutIn));
  }

  @Test
  void maskedCrcMatchesTfRecordOfEmptyInput() {
    // CRC32C("") = 0, masked: rotate(0) + 0xa282ead8.
    assertEquals(0xa282ead8, RecordFormat.maskedCrc32c(new byte[0], 0, 0));
  }

  @Test
  void shardsAreReadableByBeamTfRecordIo(@TempDir Path dir) throws Exception {
    List<ImageRecord> records = List.of(sample(0, "a"), sample(1, "b"), sample(2, "c"));
    ShardSummary s = WriteRecordShards.write(dir.toString(), "train", 0, 1, records);
    Path file = dir.resolve(s.file());
    assertEquals(Files.size(file), s.bytes());
    assertEquals(records, RecordShards.readShard(file.toString(), "train", 0));

    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollection<String> ids =
        p.apply(TFRecordIO.read().from(file.toString()))
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        (SerializableFunction<byte[], String>)
                            b -> {
                              try {
                                return RecordFormat.decodePayload(b, "train", 0).sourceId();
                              } catch (IOException e) {
                                throw new RuntimeException(e);
                              }
                            }));
    PAssert.that(ids).containsInAnyOrder("a", "b", "c");
    p.run().waitUntilFinish();
  }

  @Test
  void writingIsDeterministicWhateverTheInputOrder(@TempDir Path dir) throws Exception {
    List<ImageRecord> a = List.of(sample(0, "a"), sample(1, "b"), sample(2, "c"));
    List<ImageRecord> b = List.of(sample(2, "c"), sample(0, "a"), sample(1, "b"));
    ShardSummary sa = WriteRecordShards.write(dir.resolve("a").toString(), "train", 0, 1, a);
    ShardSummary sb = WriteRecordShards.write(dir.resolve("b").toString(), "train", 0, 1, b);
    assertEquals(sa.sha256(), sb.sha256());
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("a").resolve(sa.file())),
        Files.readAllBytes(dir.resolve("b").resolve(sb.file())));
  }
}
