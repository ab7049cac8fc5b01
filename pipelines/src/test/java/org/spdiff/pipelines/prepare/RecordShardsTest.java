package org.spdiff.pipelines.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.core.data.ImageSet;
import org.spdiff.pipelines.prepare.records.ImageRecord;
import org.spdiff.pipelines.prepare.records.RecordShards;

/** The in-memory reader and the Beam source agree with each other and with the input. */
class RecordShardsTest {

  @Test
  void readersAgree(@TempDir Path tmp) throws Exception {
    Path in = Fixtures.idxFolder(tmp.resolve("in"));
    String out = tmp.resolve("out").toString();
    PreparePipeline.run(Fixtures.directOptions("--input=" + in, "--output=" + out, "--numShards=3"))
        .waitUntilFinish();

    List<ImageRecord> train = RecordShards.readRecords(out, "train");
    assertEquals(7, train.size());
    for (int i = 0; i < train.size(); i++) {
      assertEquals(i, train.get(i).index());
      assertEquals("train-images-idx3-ubyte.gz#" + i, train.get(i).sourceId());
      assertEquals(i % 3, train.get(i).label());
      assertEquals(i * 10 + 4, train.get(i).pixels()[4] & 0xFF); // native 3x3: a no-op resize
    }
    ImageSet set = RecordShards.readSplit(out, "train");
    assertEquals(7, set.size());
    assertEquals(3, set.numClasses());
    assertEquals(1, set.channels());
    assertEquals(3, set.height());

    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PAssert.that(p.apply(RecordShards.read(out, "train"))).containsInAnyOrder(train);
    p.run().waitUntilFinish();
  }

  @Test
  void aLaterStageInTheSamePipelineReadsTheCommittedShards(@TempDir Path tmp) throws Exception {
    Path in = Fixtures.idxFolder(tmp.resolve("in"));
    String out = tmp.resolve("out").toString();
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PAssert.thatSingleton(
            p.apply("Prepare", Prepare.of(PrepareConfig.of(in.toString(), out).withNumShards(2)))
                .apply("ReadTest", RecordShards.readAfter("test"))
                .apply(org.apache.beam.sdk.transforms.Count.globally()))
        .isEqualTo(3L);
    p.run().waitUntilFinish();
  }
}
