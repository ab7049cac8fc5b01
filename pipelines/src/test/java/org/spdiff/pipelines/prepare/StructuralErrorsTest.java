package org.spdiff.pipelines.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.pipelines.cli.Spdiff;
import org.spdiff.pipelines.cli.UsageException;

/** Structural input errors fail at construction, naming the file, with nothing written. */
class StructuralErrorsTest {

  private static String failure(Path in, Path out) {
    UsageException e =
        assertThrows(
            UsageException.class,
            () -> Prepare.of(PrepareConfig.of(in.toString(), out.toString())));
    assertFalse(Files.exists(out), "nothing is written");
    return e.getMessage();
  }

  @Test
  void wrongIdxMagicNamesTheFile(@TempDir Path tmp) throws Exception {
    Path in = Fixtures.idxFolder(tmp.resolve("in"));
    Fixtures.writeIdxImages(in.resolve("t10k-images-idx3-ubyte"), 0x801, 3, 3, 3, false);
    String msg = failure(in, tmp.resolve("out"));
    assertTrue(msg.contains("t10k-images-idx3-ubyte"), msg);
    assertTrue(msg.contains("wrong IDX magic 0x00000801"), msg);
  }

  @Test
  void imageAndLabelCountsMustAgree(@TempDir Path tmp) throws Exception {
    Path in = Fixtures.idxFolder(tmp.resolve("in"));
    Fixtures.writeIdxLabels(in.resolve("train-labels-idx1-ubyte.gz"), 6, 3, true);
    String msg = failure(in, tmp.resolve("out"));
    assertTrue(msg.contains("holds 7 images but"), msg);
    assertTrue(msg.contains("train-labels-idx1-ubyte.gz holds 6 labels"), msg);
  }

  @Test
  void missingSplitFileIsNamed(@TempDir Path tmp) throws Exception {
    Path in = Fixtures.idxFolder(tmp.resolve("in"));
    Files.delete(in.resolve("t10k-labels-idx1-ubyte"));
    String msg = failure(in, tmp.resolve("out"));
    assertTrue(msg.contains("missing split file"), msg);
    assertTrue(msg.contains("t10k-labels-idx1-ubyte"), msg);
  }

  @Test
  void truncatedIdxDataIsStructural(@TempDir Path tmp) throws Exception {
    Path in = Fixtures.idxFolder(tmp.resolve("in"));
    Path f = in.resolve("t10k-images-idx3-ubyte");
    byte[] b = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(b, b.length - 5));
    String msg = failure(in, tmp.resolve("out"));
    assertTrue(msg.contains("declares 3 items"), msg);
  }

  @Test
  void cifarFileOfWrongSizeIsStructural(@TempDir Path tmp) throws Exception {
    Path in = Files.createDirectories(tmp.resolve("cifar"));
    Files.write(in.resolve("data_batch_1.bin"), new byte[3073 * 2 + 5]);
    Files.write(in.resolve("test_batch.bin"), new byte[3073]);
    String msg = failure(in, tmp.resolve("out"));
    assertTrue(msg.contains("data_batch_1.bin: size 6151"), msg);
  }

  @Test
  void missingInputFailsFromTheCliWithStatusTwo(@TempDir Path tmp) {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int status =
        new Spdiff(List.of(new PrepareCommand()))
            .execute(
                new String[] {
                  "prepare",
                  "--input=" + tmp.resolve("nope"),
                  "--output=" + tmp.resolve("out"),
                  "--runner=DirectRunner"
                },
                System.out,
                new java.io.PrintStream(err));
    assertEquals(2, status);
    assertTrue(err.toString().contains("nope does not exist"), err.toString());
    assertFalse(Files.exists(tmp.resolve("out")));
  }

  @Test
  void badFlagValuesAreUsageErrors() {
    assertThrows(
        UsageException.class,
        () -> new PrepareConfig("a", "b", "auto", 0, 2, 0, "train", 0, false));
    assertThrows(
        UsageException.class,
        () -> new PrepareConfig("a", "b", "tiff", 0, 0, 0, "train", 0, false));
  }
}
