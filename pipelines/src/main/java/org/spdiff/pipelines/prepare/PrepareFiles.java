package org.spdiff.pipelines.prepare;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * File access through Beam {@link FileSystems}, so that local paths and {@code gs://} both work.
 */
public final class PrepareFiles {
  private PrepareFiles() {}

  /** A file found under a directory. */
  public record Listed(String relative, String path, long size) {}

  /** {@code dir + "/" + relative}. */
  public static String join(String dir, String relative) {
    return dir.endsWith("/") ? dir + relative : dir + "/" + relative;
  }

  /** True for plain local paths and {@code file:} URIs. */
  public static boolean isLocal(String path) {
    return !path.contains("://") || path.startsWith("file:");
  }

  private static Path local(String path) {
    return path.startsWith("file:") ? Paths.get(java.net.URI.create(path)) : Paths.get(path);
  }

  /** Whether a directory exists (always true for object stores, which have no directories). */
  public static boolean isDirectory(String path) {
    return !isLocal(path) || Files.isDirectory(local(path));
  }

  /** Whether a file exists. */
  public static boolean exists(String path) throws IOException {
    if (isLocal(path)) {
      return Files.exists(local(path));
    }
    MatchResult m = FileSystems.match(path, EmptyMatchTreatment.ALLOW);
    return m.status() == MatchResult.Status.OK && !m.metadata().isEmpty();
  }

  /** Every file under {@code dir} (recursively), sorted by relative path; hidden names skipped. */
  public static List<Listed> list(String dir) throws IOException {
    List<Listed> out = new ArrayList<>();
    if (isLocal(dir)) {
      Path root = local(dir);
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path p : (Iterable<Path>) walk::iterator) {
          if (!Files.isRegularFile(p)) {
            continue;
          }
          String rel = root.relativize(p).toString().replace('\\', '/');
          if (hidden(rel)) {
            continue;
          }
          out.add(new Listed(rel, p.toString(), Files.size(p)));
        }
      }
    } else {
      MatchResult m = FileSystems.match(join(dir, "**"), EmptyMatchTreatment.ALLOW);
      String prefix = join(dir, "");
      for (MatchResult.Metadata md : m.metadata()) {
        String full = md.resourceId().toString();
        if (!full.startsWith(prefix) || md.resourceId().isDirectory()) {
          continue;
        }
        String rel = full.substring(prefix.length());
        if (!hidden(rel)) {
          out.add(new Listed(rel, full, md.sizeBytes()));
        }
      }
    }
    out.sort(Comparator.comparing(Listed::relative));
    return out;
  }

  private static boolean hidden(String rel) {
    for (String part : rel.split("/")) {
      if (part.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** Opens a file for reading. */
  public static InputStream open(String path) throws IOException {
    if (isLocal(path)) {
      return new BufferedInputStream(Files.newInputStream(local(path)), 1 << 16);
    }
    ResourceId id = FileSystems.matchNewResource(path, false);
    return new BufferedInputStream(Channels.newInputStream(FileSystems.open(id)), 1 << 16);
  }

  /** Opens a file, transparently gunzipping it when it starts with the gzip magic. */
  public static InputStream openMaybeGzip(String path) throws IOException {
    InputStream in = open(path);
    in.mark(2);
    int a = in.read();
    int b = in.read();
    in.reset();
    if (a == 0x1F && b == 0x8B) {
      return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
    }
    return in;
  }

  /** The whole file. */
  public static byte[] readAll(String path) throws IOException {
    try (InputStream in = open(path)) {
      return in.readAllBytes();
    }
  }

  /** Skips exactly {@code n} bytes or throws. */
  public static void skipFully(InputStream in, long n) throws IOException {
    long left = n;
    while (left > 0) {
      long k = in.skip(left);
      if (k <= 0) {
        if (in.read() < 0) {
          throw new java.io.EOFException("unexpected end of data while skipping " + n + " bytes");
        }
        k = 1;
      }
      left -= k;
    }
  }

  /** A writer that creates a hidden temporary file and renames it into place on close. */
  public interface Body {
    void write(OutputStream out) throws IOException;
  }

  /** Writes {@code path} atomically: a temp name beside it, then a rename (replacing). */
  public static void writeAtomically(String path, Body body) throws IOException {
    String tmp = path + ".inprogress-" + UUID.randomUUID();
    ResourceId tmpId = FileSystems.matchNewResource(tmp, false);
    ResourceId dst = FileSystems.matchNewResource(path, false);
    if (isLocal(path)) {
      Files.createDirectories(local(path).toAbsolutePath().getParent());
    }
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(tmpId, MimeTypes.BINARY))) {
      body.write(out);
    }
    if (isLocal(path)) {
      Files.move(
          local(tmp),
          local(path),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } else {
      FileSystems.rename(List.of(tmpId), List.of(dst), StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }

  /** Moves a file, creating parent directories locally. */
  public static void move(String from, String to) throws IOException {
    if (isLocal(from)) {
      Files.createDirectories(local(to).toAbsolutePath().getParent());
      Files.move(local(from), local(to), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } else {
      FileSystems.rename(
          List.of(FileSystems.matchNewResource(from, false)),
          List.of(FileSystems.matchNewResource(to, false)));
    }
  }

  /** Deletes a file if it exists. */
  public static void delete(String path) throws IOException {
    if (isLocal(path)) {
      Files.deleteIfExists(local(path));
    } else {
      FileSystems.delete(
          List.of(FileSystems.matchNewResource(path, false)),
          StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }

  /** Deletes a directory and everything under it (hidden files included); absent is fine. */
  public static void deleteTree(String dir) throws IOException {
    if (isLocal(dir)) {
      Path root = local(dir);
      if (!Files.exists(root)) {
        return;
      }
      try (Stream<Path> walk = Files.walk(root)) {
        List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
        for (Path p : all) {
          Files.deleteIfExists(p);
        }
      }
    } else {
      MatchResult m = FileSystems.match(join(dir, "**"), EmptyMatchTreatment.ALLOW);
      List<ResourceId> ids = new ArrayList<>();
      for (MatchResult.Metadata md : m.metadata()) {
        ids.add(md.resourceId());
      }
      FileSystems.delete(ids, StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }
}
