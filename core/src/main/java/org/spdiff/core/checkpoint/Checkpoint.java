package org.spdiff.core.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.spdiff.core.engine.NativeArrays;
import org.spdiff.core.model.DiffusionNet;

/**
 * One checkpoint, a folder {@code step-NNNNNNNNN/} in a {@link CheckpointStore}:
 *
 * <ul>
 *   <li>{@code weights.safetensors}: the online parameters, keyed by the block's parameter names
 *       ({@code block().getParameters()} keys, stable for a given architecture);
 *   <li>{@code ema.safetensors}: the EMA of the same parameters, same keys;
 *   <li>{@code optimizer.safetensors}: optimizer state, keys {@code m/<param>}, {@code v/<param>}
 *       (absent for exported weights);
 *   <li>{@code checkpoint.json}: the {@link Manifest}, written last: a folder without it is
 *       incomplete and ignored.
 * </ul>
 *
 * <p>The safetensors writer does not keep order, so arrays are always looked up by name.
 */
public final class Checkpoint {
  public static final int FORMAT_VERSION = 1;
  public static final String WEIGHTS = "weights.safetensors";
  public static final String EMA = "ema.safetensors";
  public static final String OPTIMIZER = "optimizer.safetensors";
  public static final String MANIFEST = "checkpoint.json";

  private static final Pattern DIR = Pattern.compile("step-(\\d+)/" + Pattern.quote(MANIFEST));
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .build();

  /** Size and SHA-256 of one file of the checkpoint. */
  public record FileEntry(long bytes, String sha256) {}

  /**
   * The checkpoint's JSON.
   *
   * @param formatVersion {@link #FORMAT_VERSION}
   * @param step completed optimizer steps
   * @param seed the run's seed
   * @param optimizerStep the optimizer's own step count (bias correction)
   * @param trainConfig the training configuration (the {@code TrainConfig} as JSON)
   * @param netConfig the network's configuration (e.g. the UNet config) as JSON
   * @param files every other file of the checkpoint
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Manifest(
      int formatVersion,
      long step,
      long seed,
      long optimizerStep,
      JsonNode trainConfig,
      JsonNode netConfig,
      Map<String, FileEntry> files) {}

  private final CheckpointStore store;
  private final String dir;
  private final Manifest manifest;
  private final Map<String, byte[]> contents;

  private Checkpoint(
      CheckpointStore store, String dir, Manifest manifest, Map<String, byte[]> contents) {
    this.store = store;
    this.dir = dir;
    this.manifest = manifest;
    this.contents = contents;
  }

  /** The JSON mapper for manifests and configs (indented; enums case-insensitive). */
  public static ObjectMapper json() {
    return JSON;
  }

  /** The folder name of the checkpoint after {@code step} steps. */
  public static String dirName(long step) {
    return String.format("step-%09d", step);
  }

  /**
   * Writes a checkpoint: each array file, then the manifest (the commit point).
   *
   * @param files file name to named arrays; each array is written under its map key
   * @return the folder name
   */
  public static String write(
      CheckpointStore store,
      long step,
      long seed,
      long optimizerStep,
      JsonNode trainConfig,
      JsonNode netConfig,
      Map<String, Map<String, NDArray>> files)
      throws IOException {
    String dir = dirName(step);
    Map<String, FileEntry> entries = new TreeMap<>();
    for (Map.Entry<String, Map<String, NDArray>> f : files.entrySet()) {
      byte[] bytes = encode(f.getValue());
      store.put(dir + "/" + f.getKey(), bytes);
      entries.put(f.getKey(), new FileEntry(bytes.length, sha256(bytes)));
    }
    Manifest m =
        new Manifest(FORMAT_VERSION, step, seed, optimizerStep, trainConfig, netConfig, entries);
    store.put(dir + "/" + MANIFEST, JSON.writeValueAsBytes(m));
    return dir;
  }

  /** Safetensors bytes of named arrays (copies, so the caller's array names are untouched). */
  public static byte[] encode(Map<String, NDArray> arrays) {
    if (arrays.isEmpty()) {
      throw new IllegalArgumentException("nothing to encode");
    }
    NDManager base = arrays.values().iterator().next().getManager();
    try (NDManager tmp = base.newSubManager()) {
      NDList list = new NDList();
      for (Map.Entry<String, NDArray> e : new TreeMap<>(arrays).entrySet()) {
        NDArray c = e.getValue().duplicate();
        c.attach(tmp);
        c.setName(e.getKey());
        list.add(c);
      }
      return list.encode(NDList.Encoding.SAFETENSORS);
    }
  }

  /** The folder of the newest checkpoint with a manifest, if any. */
  public static Optional<String> latest(CheckpointStore store) throws IOException {
    long best = -1;
    String bestDir = null;
    for (String name : store.list()) {
      Matcher m = DIR.matcher(name);
      if (m.matches()) {
        long step = Long.parseLong(m.group(1));
        if (step > best) {
          best = step;
          bestDir = "step-" + m.group(1);
        }
      }
    }
    return Optional.ofNullable(bestDir);
  }

  /**
   * Reads and verifies a checkpoint folder (sizes and SHA-256 of every file).
   *
   * @throws CorruptCheckpointException naming the file that is missing, truncated or corrupt
   */
  public static Checkpoint read(CheckpointStore store, String dir) throws IOException {
    String mName = dir + "/" + MANIFEST;
    byte[] mBytes =
        store
            .get(mName)
            .orElseThrow(
                () -> new CorruptCheckpointException("missing manifest " + store.describe(mName)));
    Manifest manifest;
    try {
      manifest = JSON.readValue(mBytes, Manifest.class);
    } catch (IOException e) {
      throw new CorruptCheckpointException(
          "unreadable manifest " + store.describe(mName) + ": " + e.getMessage(), e);
    }
    if (manifest.formatVersion() != FORMAT_VERSION) {
      throw new CorruptCheckpointException(
          "manifest "
              + store.describe(mName)
              + " has format version "
              + manifest.formatVersion()
              + ", this build reads "
              + FORMAT_VERSION);
    }
    Map<String, byte[]> contents = new LinkedHashMap<>();
    for (Map.Entry<String, FileEntry> e : manifest.files().entrySet()) {
      String name = dir + "/" + e.getKey();
      byte[] b =
          store
              .get(name)
              .orElseThrow(
                  () -> new CorruptCheckpointException("missing file " + store.describe(name)));
      if (b.length != e.getValue().bytes()) {
        throw new CorruptCheckpointException(
            "truncated or altered file "
                + store.describe(name)
                + ": "
                + b.length
                + " bytes, manifest says "
                + e.getValue().bytes());
      }
      if (!sha256(b).equals(e.getValue().sha256())) {
        throw new CorruptCheckpointException(
            "corrupt file " + store.describe(name) + ": SHA-256 does not match the manifest");
      }
      contents.put(e.getKey(), b);
    }
    return new Checkpoint(store, dir, manifest, contents);
  }

  /** The newest checkpoint of a store. */
  public static Optional<Checkpoint> readLatest(CheckpointStore store) throws IOException {
    Optional<String> d = latest(store);
    return d.isEmpty() ? Optional.empty() : Optional.of(read(store, d.get()));
  }

  public Manifest manifest() {
    return manifest;
  }

  public String dir() {
    return dir;
  }

  public long step() {
    return manifest.step();
  }

  public boolean has(String file) {
    return contents.containsKey(file);
  }

  /** Decodes one safetensors file of the checkpoint into {@code manager}, keyed by name. */
  public Map<String, NDArray> arrays(String file, NDManager manager) {
    byte[] b = contents.get(file);
    String where = store.describe(dir + "/" + file);
    if (b == null) {
      throw new CorruptCheckpointException("checkpoint has no file " + where);
    }
    NDList list;
    try {
      list = NDList.decode(manager, b);
    } catch (RuntimeException e) {
      throw new CorruptCheckpointException("cannot decode " + where + ": " + e.getMessage(), e);
    }
    Map<String, NDArray> r = new LinkedHashMap<>();
    for (NDArray a : list) {
      r.put(a.getName(), NativeArrays.owned(a));
    }
    return r;
  }

  /**
   * Copies the weights ({@code ema = false}) or the EMA weights into {@code net}'s parameters, by
   * name; every parameter must be present with its shape.
   */
  public void loadInto(DiffusionNet net, boolean ema) {
    String file = ema ? EMA : WEIGHTS;
    NDManager base = NamedParameters.of(net).values().iterator().next().getArray().getManager();
    try (NDManager tmp = base.newSubManager()) {
      copyInto(net, arrays(file, tmp), store.describe(dir + "/" + file));
    }
  }

  /**
   * Copies named arrays into the parameters of {@code net} (bitwise), checking names and shapes.
   * Each parameter keeps its trainable/frozen state (libtorch refuses in-place writes to a leaf
   * that requires grad, so it is frozen while written).
   */
  public static void copyInto(DiffusionNet net, Map<String, NDArray> arrays, String where) {
    Map<String, Parameter> params = NamedParameters.of(net);
    if (arrays.size() != params.size()) {
      throw new CorruptCheckpointException(
          where + " holds " + arrays.size() + " arrays, the network has " + params.size());
    }
    for (Map.Entry<String, Parameter> p : params.entrySet()) {
      NDArray src = arrays.get(p.getKey());
      if (src == null) {
        throw new CorruptCheckpointException(where + " has no parameter '" + p.getKey() + "'");
      }
      Parameter param = p.getValue();
      NDArray dst = param.getArray();
      if (!src.getShape().equals(dst.getShape()) || src.getDataType() != dst.getDataType()) {
        throw new CorruptCheckpointException(
            where
                + ": parameter '"
                + p.getKey()
                + "' is "
                + src.getDataType()
                + src.getShape()
                + ", the network wants "
                + dst.getDataType()
                + dst.getShape());
      }
      boolean trainable = param.requiresGradient();
      param.freeze(true);
      dst.intern(src); // takes src's libtorch-owned tensor (see arrays())
      if (trainable) {
        param.freeze(false);
      }
    }
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
