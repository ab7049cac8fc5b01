package org.spdiff.pipelines.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;

/**
 * One run's private attempt at computing a key: it writes into {@code
 * <root>/_attempts/<stage>/<key>/<id>/}, then {@link #publish}es. Claim, then publish:
 *
 * <ul>
 *   <li>local store: the marker (with every file's size and SHA-256) is written into the attempt
 *       folder, which is then renamed onto the key folder in one {@code rename(2)}: the key appears
 *       whole and complete, or not at all. If the key already exists, an earlier attempt won; this
 *       one deletes its own folder and the caller continues with the stored key. Nothing writes
 *       into a published key, so a slower run can no longer rewrite a teacher its variants did not
 *       come from.
 *   <li>{@code gs://}: there is no folder rename. The attempt's files are copied into the key only
 *       while the key has no marker, then the marker is created with an {@code ifGenerationMatch=0}
 *       precondition ({@link GcsMarkers}): exactly one attempt completes the key. A loser whose
 *       copies overlapped the winner's can leave files that differ from the winner's marker; reads
 *       then fail naming the file (verified reads) instead of scoring them. Not tested here (no
 *       network).
 * </ul>
 */
public final class Attempt {
  private final ArtifactStore store;
  private final String stage;
  private final String key;
  private final String dir;

  Attempt(ArtifactStore store, String stage, String key, String id) {
    this.store = store;
    this.stage = stage;
    this.key = key;
    this.dir = store.attemptsDir(stage, key) + "/" + id;
  }

  /** The attempt's private folder. */
  public String dir() {
    return dir;
  }

  /** {@code <attempt>/<name>}. */
  public String path(String name) {
    return dir + "/" + name;
  }

  /** Writes a file of the attempt atomically (temp name, then rename). */
  public void write(String name, byte[] data) {
    ArtifactStore.writeFile(path(name), data);
  }

  public void writeString(String name, String text) {
    write(name, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Publishes the attempt as the key, with its provenance JSON and the size and SHA-256 of every
   * file it wrote.
   *
   * @return true if this attempt's output is now the key; false if another attempt had published it
   *     first (this attempt's folder is deleted; read the stored key instead)
   */
  public boolean publish(String provenanceJson) {
    byte[] marker = ArtifactStore.withFiles(provenanceJson, ArtifactStore.hashTree(dir));
    String target = store.dir(stage, key);
    if (!ArtifactStore.isLocal(target)) {
      return publishByCopy(marker);
    }
    ArtifactStore.writeFile(path(ArtifactStore.MARKER), marker);
    Path from = Paths.get(dir);
    Path to = Paths.get(target);
    try {
      Files.createDirectories(to.getParent());
      for (int tries = 0; ; tries++) {
        try {
          Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
          removeEmptyParent();
          return true;
        } catch (FileSystemException e) {
          // rename(2) onto a non-empty folder fails with ENOTEMPTY or EEXIST.
          if (!Files.exists(to) || e instanceof AtomicMoveNotSupportedException) {
            throw e;
          }
          if (store.isComplete(stage, key)) {
            discard();
            return false;
          }
          if (tries >= 3) {
            throw e;
          }
          // A key folder without a marker was left by an older spdiff or an interrupted in-place
          // write: set it aside (it is never read) and publish over it.
          try {
            Files.move(
                to,
                Paths.get(store.attemptsDir(stage, key) + "/stale-" + UUID.randomUUID()),
                StandardCopyOption.ATOMIC_MOVE);
          } catch (java.nio.file.NoSuchFileException gone) {
            // another attempt moved it or published meanwhile: try again
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot publish attempt "
              + dir
              + " as "
              + target
              + " (store "
              + store.root()
              + ", "
              + stage
              + " key "
              + key
              + "): "
              + e.getMessage(),
          e);
    }
  }

  private boolean publishByCopy(byte[] marker) {
    if (store.isComplete(stage, key)) {
      discard();
      return false;
    }
    try {
      for (String name : ArtifactStore.listTree(dir)) {
        FileSystems.copy(
            List.of(FileSystems.matchNewResource(path(name), false)),
            List.of(FileSystems.matchNewResource(store.path(stage, key, name), false)),
            StandardMoveOptions.IGNORE_MISSING_FILES);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot publish attempt " + dir + " as " + store.dir(stage, key) + ": " + e.getMessage(),
          e);
    }
    boolean won =
        ArtifactStore.createIfAbsent(store.path(stage, key, ArtifactStore.MARKER), marker);
    discard();
    return won;
  }

  /** Removes {@code _attempts/<stage>/<key>/} once no attempt is left in it. */
  private void removeEmptyParent() {
    try {
      Files.deleteIfExists(Paths.get(dir).getParent());
    } catch (IOException stillUsed) {
      // another attempt at the key is in there
    }
  }

  /** Deletes the attempt's folder (after losing, or when giving up). */
  public void discard() {
    try {
      if (ArtifactStore.isLocal(dir)) {
        Path d = Paths.get(dir);
        if (Files.exists(d)) {
          try (Stream<Path> s = Files.walk(d)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
              Files.deleteIfExists(p);
            }
          }
        }
        removeEmptyParent();
      } else {
        for (String name : ArtifactStore.listTree(dir)) {
          ArtifactStore.deleteQuietly(path(name));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete attempt " + dir + ": " + e.getMessage(), e);
    }
  }
}
