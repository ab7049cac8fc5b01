package org.spdiff.pipelines.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that fails while working leaves no manifest and, after clean-up, nothing else. */
class FailedRunTest {

  @Test
  void inputVanishingMidRunLeavesNoCompleteOutput(@TempDir Path tmp) throws Exception {
    Path in = Fixtures.idxFolder(tmp.resolve("in"));
    Path out = tmp.resolve("out");
    PreparePipeline.Built built =
        PreparePipeline.build(Fixtures.directOptions("--input=" + in, "--output=" + out));
    Files.delete(in.resolve("t10k-images-idx3-ubyte")); // validated, then gone
    assertThrows(RuntimeException.class, () -> built.pipeline().run().waitUntilFinish());
    built.prepare().cleanUp();
    assertFalse(Files.exists(out.resolve("manifest.json")));
    if (Files.exists(out)) {
      try (Stream<Path> s = Files.walk(out)) {
        assertEquals(1, s.count(), "only the (empty) output directory itself remains");
      }
    }
  }
}
