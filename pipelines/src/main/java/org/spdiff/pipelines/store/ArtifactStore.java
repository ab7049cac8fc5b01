package org.spdiff.pipelines.store;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * A store of stage artifacts at {@code <root>/<stage>/<key>/<name>}.
 *
 * <p>Guarantees: a file is visible only once whole (written to a temporary name, then renamed); a
 * key is complete only once its marker {@code _COMPLETE.json} exists, and the marker is written
 * last, create-if-absent, so two runs racing on one key never both claim it and a crash never
 * leaves a complete key with missing files. Stages are deterministic, so a loser's files equal the
 * winner's.
 */
public final class ArtifactStore implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The marker file that says a key is complete. */
  public static final String MARKER = "_COMPLETE.json";

  private final String root;

  public ArtifactStore(String root) {
    this.root = stripSlash(root);
  }

  public String root() {
    return root;
  }

  /** {@code <root>/<stage>/<key>} (no trailing slash). */
  public String dir(String stage, String key) {
    return root + "/" + stage + "/" + key;
  }

  /** {@code <root>/<stage>/<key>/<name>}. */
  public String path(String stage, String key, String name) {
    return dir(stage, key) + "/" + name;
  }

  /** Whether the key's marker exists. */
  public boolean isComplete(String stage, String key) {
    return exists(path(stage, key, MARKER));
  }

  /** Writes a file atomically (temp name, then rename). */
  public void write(String stage, String key, String name, byte[] data) {
    writeFile(path(stage, key, name), data);
  }

  public void writeString(String stage, String key, String name, String text) {
    write(stage, key, name, text.getBytes(StandardCharsets.UTF_8));
  }

  public Optional<byte[]> read(String stage, String key, String name) {
    return readFile(path(stage, key, name));
  }

  /** Reads a file that must exist; fails naming the path otherwise. */
  public byte[] require(String stage, String key, String name) {
    return read(stage, key, name)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "missing artifact " + path(stage, key, name) + " (is the store intact?)"));
  }

  /** Names of the files directly under the key (not markers, not temporaries). */
  public List<String> list(String stage, String key, String prefix) {
    List<String> out = new ArrayList<>();
    try {
      MatchResult m =
          FileSystems.match(dir(stage, key) + "/" + prefix + "*", EmptyMatchTreatment.ALLOW);
      if (m.status() != MatchResult.Status.OK) {
        return out;
      }
      for (MatchResult.Metadata md : m.metadata()) {
        String f = md.resourceId().getFilename();
        if (f != null && !f.startsWith(".tmp-") && !f.equals(MARKER)) {
          out.add(f);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir(stage, key), e);
    }
    out.sort(null);
    return out;
  }

  /**
   * Marks a key complete with its provenance JSON, create-if-absent.
   *
   * @return true if this call created the marker, false if another run had already completed it
   */
  public boolean markComplete(String stage, String key, String provenanceJson) {
    String marker = path(stage, key, MARKER);
    byte[] data = provenanceJson.getBytes(StandardCharsets.UTF_8);
    if (isLocal(marker)) {
      Path target = Paths.get(marker);
      try {
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(".tmp-" + UUID.randomUUID() + "-" + MARKER);
        Files.write(tmp, data);
        try {
          // A hard link fails atomically if the marker exists: create-if-absent.
          Files.createLink(target, tmp);
          return true;
        } catch (FileAlreadyExistsException e) {
          return false;
        } finally {
          Files.deleteIfExists(tmp);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write completion marker " + marker, e);
      }
    }
    return Markers.forPath(marker).createIfAbsent(marker, data);
  }

  /** Writes a file through Beam FileSystems by temp name then rename. */
  public static void writeFile(String path, byte[] data) {
    String tmp = parentOf(path) + "/.tmp-" + UUID.randomUUID() + "-" + fileName(path);
    try {
      if (isLocal(path)) {
        Files.createDirectories(Paths.get(path).getParent());
      }
      ResourceId tmpId = FileSystems.matchNewResource(tmp, false);
      try (WritableByteChannel ch = FileSystems.create(tmpId, MimeTypes.BINARY);
          OutputStream os = Channels.newOutputStream(ch)) {
        os.write(data);
      }
      FileSystems.rename(
          List.of(tmpId),
          List.of(FileSystems.matchNewResource(path, false)),
          StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  public static Optional<byte[]> readFile(String path) {
    try {
      ResourceId id = FileSystems.matchSingleFileSpec(path).resourceId();
      try (ReadableByteChannel ch = FileSystems.open(id);
          InputStream in = Channels.newInputStream(ch)) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        in.transferTo(bos);
        return Optional.of(bos.toByteArray());
      }
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      if (!exists(path)) {
        return Optional.empty();
      }
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  public static boolean exists(String path) {
    try {
      MatchResult m = FileSystems.match(path, EmptyMatchTreatment.ALLOW);
      return m.status() == MatchResult.Status.OK && !m.metadata().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  static boolean isLocal(String path) {
    return !path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || path.startsWith("file://");
  }

  private static String parentOf(String path) {
    int i = path.lastIndexOf('/');
    return i <= 0 ? "." : path.substring(0, i);
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
  }
}
