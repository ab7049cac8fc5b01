package org.spdiff.pipelines.prepare;

import java.nio.file.Path;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ReadSources} routes each bad file to the dead letters with its own reason. */
class ReadSourcesTest {

  @Test
  void goodAndBadFiles(@TempDir Path tmp) throws Exception {
    TestImages.writeFolder(tmp.resolve("in"));
    SourcePlan plan =
        SourcePlanner.plan(
            PrepareConfig.of(tmp.resolve("in").toString(), tmp.resolve("o").toString()));
    // Outside a JUnit 4 rule the enforcement must be switched on by hand.
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollectionTuple read = p.apply(new ReadSources(plan));
    PAssert.thatSingleton(read.get(ReadSources.RECORDS).apply(Count.globally())).isEqualTo(100L);
    PAssert.that(
            read.get(ReadSources.DEAD_LETTERS)
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(d -> d.source() + " " + d.reason())))
        .containsInAnyOrder(
            "bad/corrupt.png corrupt",
            "bad/truncated.png truncated",
            "bad/zero.png zero-byte",
            "bad/notes.txt not-an-image",
            "bad/legacy.bmp unsupported-format",
            "bad/huge.png absurd-dimensions");
    p.run().waitUntilFinish();
  }
}
