package org.spdiff.pipelines.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * A store of stage artifacts at {@code <root>/<stage>/<key>/<name>}.
 *
 * <p>Guarantees: a file is visible only once whole (written to a temporary name, then renamed; the
 * temporary is removed if the write fails); a key is complete only once its marker {@code
 * _COMPLETE.json} exists. The marker records every file of the key with its size and SHA-256, and
 * every read of a complete key ({@link #read}, {@link #require}, {@link #list}, {@link
 * #verifiedPath}, {@link #verifyAll}) checks the file against it (once per process and file
 * version), failing with a {@link DamagedArtifactException} that names the file, never returning
 * other bytes. Stages that compute in one place publish through an {@link Attempt}: a private
 * folder renamed into the key, first publisher wins. Stages that fill a key from many bundles
 * (prepare, generate) write in place and complete it with {@link #markComplete}, create-if-absent.
 */
public final class ArtifactStore implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The marker file that says a key is complete. */
  public static final String MARKER = "_COMPLETE.json";

  /** Folder of in-progress attempts: {@code <root>/_attempts/<stage>/<key>/<attempt>/}. */
  public static final String ATTEMPTS = "_attempts";

  /** Folder of keys set aside by {@code spdiff verify --quarantine=true}. */
  public static final String QUARANTINE = "_quarantine";

  static final String TMP = ".tmp-";

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  /** Parsed marker file lists, by marker path, size and modification time. */
  private static final Map<String, Optional<Map<String, StoredFile>>> RECORDED =
      new ConcurrentHashMap<>();

  /** Files already verified in this process: path, size, modification time, recorded hash. */
  private static final Set<String> VERIFIED = ConcurrentHashMap.newKeySet();

  private static final LongAdder VERIFY_NANOS = new LongAdder();

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

  /**
   * Reads a file of a key; in a complete key the file is checked against the marker.
   *
   * @throws DamagedArtifactException when a complete key's file is missing, differs from what the
   *     marker recorded or is not recorded at all
   */
  public Optional<byte[]> read(String stage, String key, String name) {
    String p = path(stage, key, name);
    if (name.equals(MARKER)) {
      return readFile(p);
    }
    Optional<Map<String, StoredFile>> recorded = recorded(stage, key);
    if (recorded.isEmpty()) {
      return readFile(p);
    }
    StoredFile f = recorded.get().get(name);
    if (f == null) {
      if (exists(p)) {
        throw new DamagedArtifactException(
            root, stage, key, name, "the file is not recorded in the key's " + MARKER);
      }
      return Optional.empty();
    }
    MatchResult.Metadata md = checkSize(stage, key, name, f);
    byte[] b =
        readFile(p)
            .orElseThrow(
                () -> new DamagedArtifactException(root, stage, key, name, "missing: " + f));
    long t0 = System.nanoTime();
    String id = p + "|" + b.length + "|" + md.lastModifiedMillis() + "|" + f.sha256();
    if (!VERIFIED.contains(id)) {
      String found = sha256(b);
      timed(t0);
      if (b.length != f.bytes() || !found.equals(f.sha256())) {
        throw new DamagedArtifactException(
            root, stage, key, name, differs(f, new StoredFile(b.length, found)));
      }
      VERIFIED.add(id);
    }
    return Optional.of(b);
  }

  /** Reads a file that must exist; fails naming the path otherwise. */
  public byte[] require(String stage, String key, String name) {
    return read(stage, key, name)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "missing artifact "
                        + path(stage, key, name)
                        + " (store "
                        + root
                        + ", "
                        + stage
                        + " key "
                        + key
                        + ")"));
  }

  /**
   * The path of a file of a complete key after checking it against the marker (for files opened by
   * path, such as network weights); the path unchecked when the key is not complete.
   */
  public String verifiedPath(String stage, String key, String name) {
    Optional<Map<String, StoredFile>> recorded = recorded(stage, key);
    if (recorded.isPresent()) {
      StoredFile f = recorded.get().get(name);
      if (f == null) {
        throw new DamagedArtifactException(
            root, stage, key, name, "the file is not recorded in the key's " + MARKER);
      }
      verifyFile(stage, key, name, f);
    }
    return path(stage, key, name);
  }

  /**
   * Checks every recorded file of a complete key (once per process and file version), for readers
   * that open the key's folder themselves. Does nothing for a key that is not complete.
   */
  public void verifyAll(String stage, String key) {
    Optional<Map<String, StoredFile>> recorded = recorded(stage, key);
    if (recorded.isPresent()) {
      for (Map.Entry<String, StoredFile> e : recorded.get().entrySet()) {
        verifyFile(stage, key, e.getKey(), e.getValue());
      }
    }
  }

  /**
   * Every problem of a complete key, hashing each file again (no cache): missing, other size, other
   * hash, or present but not recorded. Empty when the key is intact.
   */
  public List<String> check(String stage, String key) {
    List<String> problems = new ArrayList<>();
    Optional<Map<String, StoredFile>> recorded = recorded(stage, key);
    if (recorded.isEmpty()) {
      problems.add(MARKER + ": records no files (written by an older spdiff; cannot be verified)");
      return problems;
    }
    List<String> present = listTree(dir(stage, key));
    present.remove(MARKER);
    for (Map.Entry<String, StoredFile> e : recorded.get().entrySet()) {
      String name = e.getKey();
      if (!present.contains(name)) {
        problems.add(name + ": missing (recorded " + e.getValue() + ")");
        continue;
      }
      StoredFile found = hashFile(path(stage, key, name));
      if (!found.equals(e.getValue())) {
        problems.add(name + ": " + differs(e.getValue(), found));
      }
    }
    for (String name : present) {
      if (!recorded.get().containsKey(name)) {
        problems.add(name + ": not recorded in " + MARKER);
      }
    }
    return problems;
  }

  /** Names of the files directly under {@code <key>/<prefix>} (not markers, not temporaries). */
  public List<String> list(String stage, String key, String prefix) {
    List<String> out = new ArrayList<>();
    Optional<Map<String, StoredFile>> recorded = recorded(stage, key);
    if (recorded.isPresent()) {
      // A complete key lists what its marker recorded: a missing file fails when it is read.
      for (String name : recorded.get().keySet()) {
        if (name.startsWith(prefix) && name.indexOf('/', prefix.length()) < 0) {
          out.add(name.substring(prefix.lastIndexOf('/') + 1));
        }
      }
      out.sort(null);
      return out;
    }
    try {
      MatchResult m =
          FileSystems.match(dir(stage, key) + "/" + prefix + "*", EmptyMatchTreatment.ALLOW);
      if (m.status() != MatchResult.Status.OK) {
        return out;
      }
      for (MatchResult.Metadata md : m.metadata()) {
        String f = md.resourceId().getFilename();
        if (f != null && !f.startsWith(TMP) && !f.equals(MARKER)) {
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
   * Marks a key complete in place with its provenance JSON and the size and SHA-256 of every file
   * now under the key, create-if-absent.
   *
   * @return true if this call created the marker, false if another run had already completed it
   */
  public boolean markComplete(String stage, String key, String provenanceJson) {
    byte[] data = withFiles(provenanceJson, hashTree(dir(stage, key)));
    return createIfAbsent(path(stage, key, MARKER), data);
  }

  /** A new private attempt at computing a key (see {@link Attempt}). */
  public Attempt attempt(String stage, String key) {
    return new Attempt(this, stage, key, UUID.randomUUID().toString());
  }

  /** {@code <root>/_attempts/<stage>/<key>}: the folders of this key's attempts. */
  public String attemptsDir(String stage, String key) {
    return root + "/" + ATTEMPTS + "/" + stage + "/" + key;
  }

  /** The attempt folders of a key (any run's, live or dead), sorted. */
  public List<String> attemptDirs(String stage, String key) {
    String base = attemptsDir(stage, key);
    List<String> out = new ArrayList<>();
    if (isLocal(base)) {
      Path b = Paths.get(base);
      if (Files.isDirectory(b)) {
        try (Stream<Path> s = Files.list(b)) {
          s.filter(Files::isDirectory).forEach(p -> out.add(base + "/" + p.getFileName()));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list " + base, e);
        }
      }
    } else {
      for (String f : listTree(base)) {
        int slash = f.indexOf('/');
        String d = base + "/" + (slash < 0 ? f : f.substring(0, slash));
        if (slash > 0 && !out.contains(d)) {
          out.add(d);
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** Every complete key of the store, as {@code stage/key}, sorted. */
  public List<String> completeKeys() {
    List<String> out = new ArrayList<>();
    try {
      MatchResult m = FileSystems.match(root + "/*/*/" + MARKER, EmptyMatchTreatment.ALLOW);
      if (m.status() == MatchResult.Status.OK) {
        for (MatchResult.Metadata md : m.metadata()) {
          String p = md.resourceId().toString();
          String[] parts = p.split("/");
          if (parts.length >= 3) {
            String stage = parts[parts.length - 3];
            if (!stage.equals(ATTEMPTS) && !stage.equals(QUARANTINE)) {
              out.add(stage + "/" + parts[parts.length - 2]);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the keys of store " + root, e);
    }
    out.sort(null);
    return out;
  }

  /**
   * Moves a key aside to {@code <root>/_quarantine/<stage>/<key>-<time>} so the next run recomputes
   * it (local stores only).
   *
   * @return where it went
   */
  public String quarantine(String stage, String key) {
    String to =
        root
            + "/"
            + QUARANTINE
            + "/"
            + stage
            + "/"
            + key
            + "-"
            + java.time.Instant.now().toString().replace(':', '-');
    if (!isLocal(to)) {
      throw new IllegalArgumentException(
          "quarantine moves folders and needs a local store; " + root + " is not");
    }
    try {
      Files.createDirectories(Paths.get(to).getParent());
      Files.move(
          Paths.get(dir(stage, key)), Paths.get(to), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot move " + dir(stage, key) + " to " + to + ": " + e.getMessage(), e);
    }
    return to;
  }

  /** The marker field with the content hashes of the upstream keys a stage consumed. */
  public static final String CONSUMED = "consumed";

  /**
   * The content hash of a complete key: the SHA-256 of the canonical JSON of the file list its
   * marker records (every file's name, size and SHA-256), independent of when it completed.
   *
   * @throws IllegalStateException when the key is not complete or its marker records no files
   */
  public String contentHash(String stage, String key) {
    Map<String, StoredFile> files =
        recorded(stage, key)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        stage
                            + " key "
                            + key
                            + " is not complete in the store "
                            + root
                            + " or its "
                            + MARKER
                            + " records no files"));
    try {
      return sha256(
          JSON.writer()
              .without(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsBytes(new TreeMap<>(files)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The provenance chain of a complete key: each upstream key it recorded as consumed must still
   * hold the content it consumed. One line per broken link; empty when intact or nothing recorded.
   */
  public List<String> checkConsumed(String stage, String key) {
    List<String> problems = new ArrayList<>();
    JsonNode consumed;
    try {
      consumed = JSON.readTree(require(stage, key, MARKER)).path(CONSUMED);
    } catch (IOException e) {
      throw new DamagedArtifactException(root, stage, key, MARKER, "unreadable JSON");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = consumed.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String[] up = e.getKey().split("/", 2);
      String now;
      try {
        now = up.length == 2 ? contentHash(up[0], up[1]) : "(not a stage/key)";
      } catch (IllegalStateException gone) {
        now = "(absent)";
      }
      if (!now.equals(e.getValue().asText())) {
        problems.add(
            stage
                + "/"
                + key
                + " consumed "
                + e.getKey()
                + " with content hash "
                + e.getValue().asText()
                + ", the store now holds "
                + now);
      }
    }
    return problems;
  }

  /** The {@code stage/key} of every upstream key a complete key recorded as consumed. */
  public List<String> consumedKeys(String stage, String key) {
    List<String> out = new ArrayList<>();
    try {
      JSON.readTree(require(stage, key, MARKER))
          .path(CONSUMED)
          .fieldNames()
          .forEachRemaining(out::add);
    } catch (IOException e) {
      throw new DamagedArtifactException(root, stage, key, MARKER, "unreadable JSON");
    }
    return out;
  }

  /** Seconds this process spent checking files against markers (hashing and sizes). */
  public static double verificationSeconds() {
    return VERIFY_NANOS.sum() / 1e9;
  }

  /** What the marker records, by file name; empty when the key is not complete or records none. */
  Optional<Map<String, StoredFile>> recorded(String stage, String key) {
    String mp = path(stage, key, MARKER);
    long t0 = System.nanoTime();
    MatchResult.Metadata md = metadata(mp);
    if (md == null) {
      return Optional.empty();
    }
    String id = mp + "|" + md.sizeBytes() + "|" + md.lastModifiedMillis();
    Optional<Map<String, StoredFile>> cached = RECORDED.get(id);
    if (cached != null) {
      timed(t0);
      return cached;
    }
    byte[] b =
        readFile(mp)
            .orElseThrow(() -> new DamagedArtifactException(root, stage, key, MARKER, "vanished"));
    Optional<Map<String, StoredFile>> r;
    try {
      JsonNode files = JSON.readTree(b).path("files");
      if (!files.isObject()) {
        r = Optional.empty();
      } else {
        Map<String, StoredFile> m = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          m.put(
              e.getKey(),
              new StoredFile(
                  e.getValue().path("bytes").asLong(), e.getValue().path("sha256").asText()));
        }
        r = Optional.of(java.util.Collections.unmodifiableMap(m));
      }
    } catch (IOException e) {
      throw new DamagedArtifactException(
          root, stage, key, MARKER, "unreadable JSON: " + e.getMessage());
    }
    RECORDED.put(id, r);
    timed(t0);
    return r;
  }

  private MatchResult.Metadata checkSize(String stage, String key, String name, StoredFile f) {
    long t0 = System.nanoTime();
    MatchResult.Metadata md = metadata(path(stage, key, name));
    timed(t0);
    if (md == null) {
      throw new DamagedArtifactException(root, stage, key, name, "missing (recorded " + f + ")");
    }
    if (md.sizeBytes() != f.bytes()) {
      throw new DamagedArtifactException(
          root,
          stage,
          key,
          name,
          "size " + md.sizeBytes() + " bytes, recorded " + f.bytes() + " bytes");
    }
    return md;
  }

  private void verifyFile(String stage, String key, String name, StoredFile f) {
    MatchResult.Metadata md = checkSize(stage, key, name, f);
    String p = path(stage, key, name);
    String id = p + "|" + md.sizeBytes() + "|" + md.lastModifiedMillis() + "|" + f.sha256();
    if (VERIFIED.contains(id)) {
      return;
    }
    long t0 = System.nanoTime();
    StoredFile found = hashFile(p);
    timed(t0);
    if (!found.equals(f)) {
      throw new DamagedArtifactException(root, stage, key, name, differs(f, found));
    }
    VERIFIED.add(id);
  }

  private static void timed(long t0) {
    long dt = System.nanoTime() - t0;
    VERIFY_NANOS.add(dt);
  }

  static String differs(StoredFile recorded, StoredFile found) {
    if (recorded.bytes() != found.bytes()) {
      return "size " + found.bytes() + " bytes, recorded " + recorded.bytes() + " bytes";
    }
    return "sha256 " + found.sha256() + ", recorded " + recorded.sha256();
  }

  /** The provenance JSON with a {@code files} object added. */
  static byte[] withFiles(String provenanceJson, Map<String, StoredFile> files) {
    try {
      ObjectNode m = (ObjectNode) JSON.readTree(provenanceJson);
      m.set("files", JSON.valueToTree(new TreeMap<>(files)));
      return (JSON.writeValueAsString(m) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot add the file list to a marker", e);
    }
  }

  /** Size and SHA-256 of every file under a folder (relative names; no markers, temporaries). */
  static Map<String, StoredFile> hashTree(String dir) {
    long t0 = System.nanoTime();
    Map<String, StoredFile> out = new TreeMap<>();
    for (String name : listTree(dir)) {
      if (!name.equals(MARKER)) {
        out.put(name, hashFile(dir + "/" + name));
      }
    }
    timed(t0);
    return out;
  }

  /** Relative names of every file under a folder, sorted, without temporaries. */
  static List<String> listTree(String dir) {
    List<String> out = new ArrayList<>();
    try {
      if (isLocal(dir)) {
        Path d = Paths.get(dir);
        if (!Files.isDirectory(d)) {
          return out;
        }
        walk(d, d, out);
      } else {
        MatchResult m = FileSystems.match(dir + "/**", EmptyMatchTreatment.ALLOW);
        if (m.status() == MatchResult.Status.OK) {
          for (MatchResult.Metadata md : m.metadata()) {
            String full = md.resourceId().toString();
            if (full.startsWith(dir + "/")) {
              out.add(full.substring(dir.length() + 1));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    out.removeIf(n -> n.startsWith(TMP) || n.contains("/" + TMP));
    out.sort(null);
    return out;
  }

  /**
   * Adds the files under {@code d}, skipping temporaries without looking at them (another writer
   * may rename them away at any moment) and folders that vanish while listed.
   */
  private static void walk(Path root, Path d, List<String> out) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(d)) {
      for (Path p : entries) {
        if (p.getFileName().toString().startsWith(TMP)) {
          continue;
        }
        if (Files.isDirectory(p)) {
          walk(root, p, out);
        } else if (Files.isRegularFile(p)) {
          out.add(root.relativize(p).toString().replace('\\', '/'));
        }
      }
    } catch (NoSuchFileException gone) {
      // moved away while listed (an attempt published or discarded)
    }
  }

  /** Size and SHA-256 of one file, streamed. */
  static StoredFile hashFile(String path) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      long n = 0;
      ResourceId id = FileSystems.matchSingleFileSpec(path).resourceId();
      try (ReadableByteChannel ch = FileSystems.open(id);
          InputStream in = Channels.newInputStream(ch)) {
        byte[] buf = new byte[1 << 16];
        for (int r; (r = in.read(buf)) > 0; ) {
          md.update(buf, 0, r);
          n += r;
        }
      }
      return new StoredFile(n, HexFormat.of().formatHex(md.digest()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static MatchResult.Metadata metadata(String path) {
    try {
      MatchResult m = FileSystems.match(path, EmptyMatchTreatment.ALLOW);
      if (m.status() != MatchResult.Status.OK || m.metadata().isEmpty()) {
        return null;
      }
      return m.metadata().get(0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat " + path + ": " + e.getMessage(), e);
    }
  }

  /** Creates a marker with {@code data} only if none exists; true if this call created it. */
  static boolean createIfAbsent(String marker, byte[] data) {
    if (isLocal(marker)) {
      Path target = Paths.get(marker);
      try {
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(TMP + UUID.randomUUID() + "-" + MARKER);
        try {
          Files.write(tmp, data);
          // A hard link fails atomically if the marker exists: create-if-absent.
          Files.createLink(target, tmp);
          return true;
        } catch (FileAlreadyExistsException e) {
          return false;
        } finally {
          Files.deleteIfExists(tmp);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot write completion marker " + marker + ": " + e.getMessage(), e);
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
      try {
        try (WritableByteChannel ch = FileSystems.create(tmpId, MimeTypes.BINARY);
            OutputStream os = Channels.newOutputStream(ch)) {
          os.write(data);
        }
        FileSystems.rename(
            List.of(tmpId),
            List.of(FileSystems.matchNewResource(path, false)),
            StandardMoveOptions.IGNORE_MISSING_FILES);
      } catch (IOException | RuntimeException e) {
        deleteQuietly(tmp);
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  /** Removes a file if it exists, ignoring failures (clean-up after a failed write). */
  static void deleteQuietly(String path) {
    try {
      if (isLocal(path)) {
        Files.deleteIfExists(Paths.get(path));
      } else {
        FileSystems.delete(
            List.of(FileSystems.matchNewResource(path, false)),
            StandardMoveOptions.IGNORE_MISSING_FILES);
      }
    } catch (IOException | RuntimeException ignored) {
      // best effort: the write's own failure is what the caller reports
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
