package org.spdiff.pipelines.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verified reads, claim-then-publish and provenance links of the artifact store, on hand-made keys.
 */
class StoreIntegrityTest {
  @TempDir Path dir;

  private ArtifactStore completeKey() {
    ArtifactStore s = new ArtifactStore(dir.toString());
    s.write("refstats", "k", "ref.npz", new byte[] {1, 2, 3, 4});
    s.write("refstats", "k", "classes/ref-000.npz", new byte[] {5});
    assertTrue(s.markComplete("refstats", "k", "{}"));
    return s;
  }

  /**
   * Flips a bit and moves the modification time on by 2 s: within one process a file already
   * verified is known by its path, size and modification time (millis), and a rewrite within the
   * same millisecond as the verified read (it happened in CI) would otherwise look unchanged.
   */
  private static void flip(Path f) throws Exception {
    java.nio.file.attribute.FileTime before = Files.getLastModifiedTime(f);
    byte[] b = Files.readAllBytes(f);
    b[0] ^= 0x40;
    Files.write(f, b);
    Files.setLastModifiedTime(
        f, java.nio.file.attribute.FileTime.fromMillis(before.toMillis() + 2000));
  }

  @Test
  void aFlippedByteFailsTheReadNamingStoreKeyFileAndHashes() throws Exception {
    ArtifactStore s = completeKey();
    Path f = dir.resolve("refstats/k/ref.npz");
    assertArrayEquals(new byte[] {1, 2, 3, 4}, s.require("refstats", "k", "ref.npz"));
    flip(f);
    DamagedArtifactException e =
        assertThrows(DamagedArtifactException.class, () -> s.require("refstats", "k", "ref.npz"));
    assertTrue(e.getMessage().contains(dir + "/refstats/k/ref.npz"), e.getMessage());
    assertTrue(e.getMessage().contains("refstats key k"), e.getMessage());
    // SHA-256 of 1,2,3,4 is 9f64a747...; the flipped file has another.
    assertTrue(
        e.getMessage()
            .contains("recorded 9f64a747e1b97f131fabb6b447296c9b6f0201e79fb3c5356e6c77e89b6a806a"),
        e.getMessage());
    assertEquals(
        List.of("ref.npz: " + e.getMessage().split(": ", 2)[1].split("; ")[0]),
        s.check("refstats", "k"));
  }

  @Test
  void truncatedMissingAndUnrecordedFilesAreNamed() throws Exception {
    ArtifactStore s = completeKey();
    Files.write(dir.resolve("refstats/k/ref.npz"), new byte[] {1, 2});
    assertTrue(
        assertThrows(DamagedArtifactException.class, () -> s.read("refstats", "k", "ref.npz"))
            .getMessage()
            .contains("size 2 bytes, recorded 4 bytes"));
    Files.delete(dir.resolve("refstats/k/classes/ref-000.npz"));
    assertTrue(
        assertThrows(
                DamagedArtifactException.class,
                () -> s.read("refstats", "k", "classes/ref-000.npz"))
            .getMessage()
            .contains("missing"));
    // The listing of a complete key is what its marker recorded: the missing file fails when read.
    assertEquals(List.of("ref-000.npz"), s.list("refstats", "k", "classes/"));
    Files.write(dir.resolve("refstats/k/extra.bin"), new byte[] {9});
    assertTrue(
        assertThrows(DamagedArtifactException.class, () -> s.read("refstats", "k", "extra.bin"))
            .getMessage()
            .contains("not recorded"));
    List<String> problems = s.check("refstats", "k");
    assertEquals(3, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("classes/ref-000.npz: missing"), problems.toString());
    assertTrue(problems.get(1).startsWith("ref.npz: size 2 bytes"), problems.toString());
    assertTrue(problems.get(2).startsWith("extra.bin: not recorded"), problems.toString());
  }

  @Test
  void firstAttemptToPublishWinsAndTheLoserDiscardsItsOutput() throws Exception {
    ArtifactStore s = new ArtifactStore(dir.toString());
    Attempt a = s.attempt("teacher", "k");
    Attempt b = s.attempt("teacher", "k");
    a.write("checkpoints/w.bin", new byte[] {1});
    b.write("checkpoints/w.bin", new byte[] {2}); // the same key, other last bits
    assertFalse(s.isComplete("teacher", "k"), "an attempt is invisible until published");
    assertTrue(a.publish("{}"));
    assertFalse(b.publish("{}"));
    assertFalse(Files.exists(Path.of(b.dir())), "the loser's folder is deleted");
    assertArrayEquals(new byte[] {1}, s.require("teacher", "k", "checkpoints/w.bin"));
    assertEquals(List.of(), s.check("teacher", "k"));
    assertEquals(List.of(), s.attemptDirs("teacher", "k"));
  }

  @Test
  void publishingSetsAsideAKeyFolderWithoutMarker() {
    ArtifactStore s = new ArtifactStore(dir.toString());
    s.write("teacher", "k", "checkpoints/old.bin", new byte[] {7}); // an older, in-place layout
    Attempt a = s.attempt("teacher", "k");
    a.write("w.bin", new byte[] {1});
    assertTrue(a.publish("{}"));
    assertEquals(List.of(), s.check("teacher", "k"));
    assertTrue(s.read("teacher", "k", "checkpoints/old.bin").isEmpty());
    assertEquals(1, s.attemptDirs("teacher", "k").size(), "the old folder kept aside");
  }

  @Test
  void consumedContentIsCheckedAlongTheChain() {
    ArtifactStore s = new ArtifactStore(dir.toString());
    Attempt up = s.attempt("teacher", "t");
    up.write("w.bin", new byte[] {1});
    assertTrue(up.publish("{}"));
    String hash = s.contentHash("teacher", "t");
    Attempt down = s.attempt("variant", "v");
    down.write("w.bin", new byte[] {2});
    assertTrue(down.publish("{\"consumed\":{\"teacher/t\":\"" + hash + "\"}}"));
    assertEquals(List.of(), s.checkConsumed("variant", "v"));
    assertEquals(List.of("teacher/t"), s.consumedKeys("variant", "v"));
    // The teacher is set aside and recomputed with other bits: the variant no longer matches.
    s.quarantine("teacher", "t");
    Attempt again = s.attempt("teacher", "t");
    again.write("w.bin", new byte[] {3});
    assertTrue(again.publish("{}"));
    List<String> broken = s.checkConsumed("variant", "v");
    assertEquals(1, broken.size());
    assertTrue(broken.get(0).startsWith("variant/v consumed teacher/t with content hash " + hash));
  }

  @Test
  void aFailedWriteNamesTheFileAndLeavesNoTemporary() throws Exception {
    ArtifactStore s = new ArtifactStore(dir.toString());
    // The target is a non-empty folder: the temporary is written, the rename fails.
    Files.createDirectories(dir.resolve("score/k/stats.npz/x"));
    UncheckedIOException e =
        assertThrows(
            UncheckedIOException.class, () -> s.write("score", "k", "stats.npz", new byte[8]));
    assertTrue(
        e.getMessage().startsWith("cannot write " + dir + "/score/k/stats.npz"), e.getMessage());
    try (Stream<Path> files = Files.walk(dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".tmp-")));
    }
  }
}
