package org.spdiff.metrics.io;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a state dict ({@code {name: tensor}}) saved by PyTorch's {@code torch.save}, without
 * Python, in both of its serialisations:
 *
 * <ul>
 *   <li><b>zip</b> (torch >= 1.6, the default): a zip archive with {@code <prefix>/data.pkl} (the
 *       pickled dict, each storage a persistent id {@code ('storage', torch.FloatStorage, key,
 *       location, numel)}) and each storage's raw little-endian bytes in {@code
 *       <prefix>/data/<key>};
 *   <li><b>legacy</b> ({@code _use_new_zipfile_serialization=False} and every torch before 1.6):
 *       five pickles in a row (magic number {@code 0x1950a86a20f9469cfc6c}, protocol version 1001,
 *       system info, the dict with persistent ids {@code ('storage', type, key, location, numel,
 *       view)}, the sorted storage keys), then for each key an int64 element count and the raw
 *       bytes.
 * </ul>
 *
 * <p>Only the objects a state dict uses are accepted ({@code collections.OrderedDict}, {@code
 * torch._utils._rebuild_tensor_v2} / {@code _rebuild_tensor} / {@code _rebuild_parameter}, {@code
 * torch.*Storage}); anything else fails naming the Python object, so no code is ever run. This is
 * the reader of pytorch-fid's {@code pt_inception-2015-12-05-6726825d.pth}.
 */
public final class TorchCheckpoint {
  /** The legacy format's first pickle. */
  static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);

  static final long LEGACY_PROTOCOL = 1001;

  private TorchCheckpoint() {}

  /** Which serialisation a file uses, from its first bytes; null if neither. */
  public static String format(byte[] head) {
    if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      return "zip";
    }
    if (head.length >= 3 && (head[0] & 0xFF) == 0x80 && (head[2] & 0xFF) == 0x8a) {
      return "legacy";
    }
    return null;
  }

  /** Whether {@code file} starts like a {@code torch.save} file (zip or legacy pickle). */
  public static boolean looksLikeTorchFile(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return format(in.readNBytes(4)) != null;
    }
  }

  /**
   * The tensors of a state dict file, in the file's order.
   *
   * @throws IOException naming the file and the problem if it is not a readable state dict
   */
  public static Map<String, StoredTensor> readStateDict(Path file) throws IOException {
    String fmt;
    try (InputStream in = Files.newInputStream(file)) {
      fmt = format(in.readNBytes(4));
    }
    if (fmt == null) {
      throw new IOException(
          file + ": not a torch.save file (neither a zip archive nor a legacy pickle)");
    }
    return fmt.equals("zip") ? readZip(file) : readLegacy(file);
  }

  /** A storage named by a persistent id; its bytes arrive later in the legacy format. */
  private static final class Storage {
    final String key;
    final TorchDtype dtype;
    final long numel;
    ByteBuffer data;

    Storage(String key, TorchDtype dtype, long numel) {
      this.key = key;
      this.dtype = dtype;
      this.numel = numel;
    }
  }

  /** A storage, or a view into one at an element offset (legacy view metadata). */
  private record StorageRef(Storage storage, long offset) {}

  /** A tensor whose storage bytes may not have been read yet. */
  private record PendingTensor(StorageRef ref, long offset, long[] shape, long[] stride) {}

  /** A {@code torch.<X>Storage} global: only ever a type tag inside a persistent id. */
  private record StorageType(TorchDtype dtype) implements PickleReader.Callable {
    @Override
    public Object call(List<Object> args) throws IOException {
      throw new IOException("torch storage classes are not callable in a state dict");
    }
  }

  private static Map<String, StoredTensor> readZip(Path file) throws IOException {
    ZipFile opened;
    try {
      opened = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new IOException(
          file + ": corrupt or truncated zip archive (" + e.getMessage() + ")", e);
    }
    try (ZipFile zip = opened) {
      String pkl = null;
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        String n = e.nextElement().getName();
        if (n.endsWith("data.pkl") && (n.equals("data.pkl") || n.endsWith("/data.pkl"))) {
          if (pkl != null) {
            throw new IOException(file + ": two data.pkl entries (" + pkl + ", " + n + ")");
          }
          pkl = n;
        }
      }
      if (pkl == null) {
        throw new IOException(file + ": zip archive without data.pkl (not a torch.save file)");
      }
      String prefix = pkl.substring(0, pkl.length() - "data.pkl".length());
      ZipEntry order = zip.getEntry(prefix + "byteorder");
      if (order != null) {
        String o = new String(zip.getInputStream(order).readAllBytes(), StandardCharsets.UTF_8);
        if (!o.trim().equals("little")) {
          throw new IOException(file + ": byte order '" + o.trim() + "' (only little is read)");
        }
      }
      Map<String, Storage> storages = new HashMap<>();
      PickleReader.PersistentLoader loader =
          pid -> {
            PickleReader.Tuple t = persistentId(pid, file);
            String key = string(t.get(2), "storage key", file);
            Storage s = storages.get(key);
            if (s == null) {
              s = new Storage(key, storageType(t.get(1), file), integer(t.get(4), "numel", file));
              ZipEntry data = zip.getEntry(prefix + "data/" + key);
              if (data == null) {
                throw new IOException(file + ": storage " + key + " has no entry data/" + key);
              }
              byte[] bytes;
              try (InputStream in = zip.getInputStream(data)) {
                bytes = in.readAllBytes();
              }
              s.data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
              storages.put(key, s);
            }
            return new StorageRef(s, 0);
          };
      Object root;
      try (InputStream in = new BufferedInputStream(zip.getInputStream(zip.getEntry(pkl)))) {
        root = reader(in, file + "!" + pkl, loader).load();
      }
      return tensors(root, file);
    }
  }

  private static Map<String, StoredTensor> readLegacy(Path file) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      PickleReader.PersistentLoader none =
          pid -> {
            throw new IOException(file + ": unexpected persistent id in the header");
          };
      Object magic = reader(in, file.toString(), none).load();
      if (!(magic instanceof BigInteger b) || !b.equals(LEGACY_MAGIC)) {
        throw new IOException(file + ": bad magic number (not a torch.save legacy file)");
      }
      Object protocol = reader(in, file.toString(), none).load();
      if (!Long.valueOf(LEGACY_PROTOCOL).equals(protocol)) {
        throw new IOException(file + ": unsupported protocol version " + protocol);
      }
      Object sysInfo = reader(in, file.toString(), none).load();
      if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
        throw new IOException(file + ": written on a big-endian machine (not supported)");
      }
      Map<String, Storage> storages = new HashMap<>();
      PickleReader.PersistentLoader loader =
          pid -> {
            PickleReader.Tuple t = persistentId(pid, file);
            String key = string(t.get(2), "storage key", file);
            TorchDtype dtype = storageType(t.get(1), file);
            Storage s = storages.get(key);
            if (s == null) {
              s = new Storage(key, dtype, integer(t.get(4), "numel", file));
              storages.put(key, s);
            }
            if (t.size() > 5 && t.get(5) != null) {
              // (view_key, offset, view_size): a view of the root storage
              PickleReader.Tuple view = tuple(t.get(5), "view metadata", file);
              return new StorageRef(s, integer(view.get(1), "view offset", file));
            }
            return new StorageRef(s, 0);
          };
      Object root = reader(in, file.toString(), loader).load();
      Object keys = reader(in, file.toString(), none).load();
      if (!(keys instanceof List<?> keyList)) {
        throw new IOException(file + ": storage key list missing");
      }
      for (Object k : keyList) {
        Storage s = storages.get(String.valueOf(k));
        if (s == null) {
          throw new IOException(file + ": storage " + k + " listed but never used");
        }
        long numel = Long.reverseBytes(in.readLong());
        if (numel != s.numel) {
          throw new IOException(
              file + ": storage " + k + " has " + numel + " elements, expected " + s.numel);
        }
        byte[] bytes = new byte[Math.toIntExact(numel * s.dtype.bytes())];
        in.readFully(bytes);
        s.data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      }
      return tensors(root, file);
    } catch (java.io.EOFException e) {
      throw new IOException(file + ": truncated (" + e.getMessage() + ")", e);
    }
  }

  private static PickleReader reader(
      InputStream in, String source, PickleReader.PersistentLoader loader) {
    return new PickleReader(
        in,
        source,
        TorchCheckpoint::global,
        loader,
        (target, state) -> {
          if (!(target instanceof Map<?, ?>)) {
            throw new IOException(source + ": unexpected object state on " + target);
          }
          // An OrderedDict's attributes (a state dict's _metadata): not needed.
        });
  }

  private static PickleReader.Callable global(String module, String name) {
    String dotted = module + "." + name;
    switch (dotted) {
      case "collections.OrderedDict":
        return args -> {
          Map<Object, Object> m = new LinkedHashMap<>();
          if (!args.isEmpty() && args.get(0) instanceof List<?> pairs) {
            for (Object p : pairs) {
              if (p instanceof PickleReader.Tuple t && t.size() == 2) {
                m.put(t.get(0), t.get(1));
              }
            }
          }
          return m;
        };
      case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor":
        return args -> {
          if (args.size() < 4 || !(args.get(0) instanceof StorageRef ref)) {
            throw new IOException(dotted + ": unexpected arguments");
          }
          long[] shape = longs(args.get(2));
          long[] stride = longs(args.get(3));
          if (shape == null || stride == null || shape.length != stride.length) {
            throw new IOException(dotted + ": bad size/stride");
          }
          return new PendingTensor(ref, ((Number) args.get(1)).longValue(), shape, stride);
        };
      case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state":
        return args -> args.get(0);
      default:
        if (module.equals("torch") && name.endsWith("Storage")) {
          TorchDtype t = TorchDtype.ofStorage(name);
          return t == null ? null : new StorageType(t);
        }
        return null;
    }
  }

  private static Map<String, StoredTensor> tensors(Object root, Path file) throws IOException {
    if (!(root instanceof Map<?, ?> m)) {
      throw new IOException(
          file + ": holds a " + describe(root) + ", not a state dict ({name: tensor})");
    }
    Map<String, StoredTensor> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String name = String.valueOf(e.getKey());
      if (!(e.getValue() instanceof PendingTensor p)) {
        throw new IOException(
            file + ": entry '" + name + "' is a " + describe(e.getValue()) + ", not a tensor");
      }
      Storage s = p.ref().storage();
      if (s.data == null) {
        throw new IOException(file + ": the data of storage " + s.key + " is missing");
      }
      long start = p.ref().offset() + p.offset();
      long last = start;
      boolean empty = false;
      for (int d = 0; d < p.shape().length; d++) {
        if (p.shape()[d] == 0) {
          empty = true;
        }
        last += (p.shape()[d] - 1) * p.stride()[d];
      }
      long available = s.data.capacity() / s.dtype.bytes();
      if (!empty && (start < 0 || last >= available)) {
        throw new IOException(
            file
                + ": tensor '"
                + name
                + "' reaches element "
                + last
                + " of storage "
                + s.key
                + " which holds "
                + available);
      }
      out.put(name, new StoredTensor(s.dtype, p.shape(), p.stride(), start, s.data));
    }
    return out;
  }

  private static PickleReader.Tuple persistentId(Object pid, Path file) throws IOException {
    PickleReader.Tuple t = tuple(pid, "persistent id", file);
    if (t.size() < 5 || !"storage".equals(t.get(0))) {
      throw new IOException(file + ": unsupported persistent id " + t);
    }
    return t;
  }

  private static TorchDtype storageType(Object o, Path file) throws IOException {
    if (o instanceof StorageType st) {
      return st.dtype();
    }
    throw new IOException(file + ": unsupported storage type " + o);
  }

  private static PickleReader.Tuple tuple(Object o, String what, Path file) throws IOException {
    if (o instanceof PickleReader.Tuple t) {
      return t;
    }
    throw new IOException(file + ": " + what + " is a " + describe(o) + ", not a tuple");
  }

  private static String string(Object o, String what, Path file) throws IOException {
    if (o instanceof String s) {
      return s;
    }
    throw new IOException(file + ": " + what + " is a " + describe(o) + ", not a string");
  }

  private static long integer(Object o, String what, Path file) throws IOException {
    if (o instanceof Long l) {
      return l;
    }
    throw new IOException(file + ": " + what + " is a " + describe(o) + ", not an int");
  }

  private static long[] longs(Object o) {
    if (!(o instanceof PickleReader.Tuple t)) {
      return null;
    }
    long[] out = new long[t.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(t.get(i) instanceof Long l)) {
        return null;
      }
      out[i] = l;
    }
    return out;
  }

  private static String describe(Object o) {
    return o == null ? "None" : o.getClass().getSimpleName();
  }
}
