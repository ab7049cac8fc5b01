package org.spdiff.pipelines.prepare;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.spdiff.pipelines.cli.UsageException;

/**
 * Detects and validates the input at pipeline-construction time, before anything is written.
 * Structural problems (a missing split file, a wrong IDX magic, image and label counts that differ,
 * a CIFAR-10 file whose size is not a whole number of records, an unreadable path) throw {@link
 * UsageException} naming the file and the problem.
 */
public final class SourcePlanner {
  /** Records per reading work unit inside IDX and CIFAR-10 files. */
  static final int CHUNK = 10_000;

  /** CIFAR-10 record size: 1 label byte + 32*32*3 bytes (R, G, B planes). */
  public static final int CIFAR_RECORD = 1 + 3072;

  /** Class names of Fashion-MNIST, used when the IDX folder's path mentions "fashion". */
  public static final List<String> FASHION_MNIST_NAMES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  private static final Pattern IDX_NAME =
      Pattern.compile("(train|t10k)-(images-idx3|labels-idx1)-ubyte(\\.gz)?");
  private static final Pattern CIFAR_TRAIN = Pattern.compile("data_batch_(\\d+)\\.bin");

  private SourcePlanner() {}

  /** Validates {@code config.input()} and plans the reading work. */
  public static SourcePlan plan(PrepareConfig config) {
    String input = config.input();
    List<PrepareFiles.Listed> files;
    try {
      if (!PrepareFiles.isDirectory(input)) {
        throw new UsageException(
            "input "
                + input
                + (PrepareFiles.exists(input) ? " is not a directory" : " does not exist"));
      }
      files = PrepareFiles.list(input);
    } catch (IOException e) {
      throw new UsageException("input " + input + " is unreadable: " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new UsageException("input " + input + " contains no files");
    }
    SourceFormat format = SourceFormat.parse(config.format());
    if (format == null) {
      format = detect(files);
    }
    try {
      return switch (format) {
        case IDX -> planIdx(config, files);
        case CIFAR10 -> planCifar(config, files);
        case IMAGES -> planImages(config, files);
      };
    } catch (IOException e) {
      throw new UsageException("input " + input + ": " + e.getMessage(), e);
    }
  }

  /** IDX if IDX-named files are at the top, CIFAR-10 if batch files are, else an image folder. */
  static SourceFormat detect(List<PrepareFiles.Listed> files) {
    for (PrepareFiles.Listed f : files) {
      if (!f.relative().contains("/") && IDX_NAME.matcher(f.relative()).matches()) {
        return SourceFormat.IDX;
      }
    }
    for (PrepareFiles.Listed f : files) {
      String r = f.relative();
      if (!r.contains("/") && (r.equals("test_batch.bin") || CIFAR_TRAIN.matcher(r).matches())) {
        return SourceFormat.CIFAR10;
      }
    }
    return SourceFormat.IMAGES;
  }

  private static Optional<PrepareFiles.Listed> top(List<PrepareFiles.Listed> files, String name) {
    for (PrepareFiles.Listed f : files) {
      if (f.relative().equals(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- IDX

  private static PrepareFiles.Listed idxFile(
      String input, List<PrepareFiles.Listed> files, String prefix, String kind) {
    String name = prefix + "-" + kind + "-ubyte";
    return top(files, name + ".gz")
        .or(() -> top(files, name))
        .orElseThrow(
            () ->
                new UsageException(
                    "missing split file " + PrepareFiles.join(input, name) + "[.gz] (IDX input)"));
  }

  /** Header of an IDX file: magic, dims. */
  record IdxHeader(int count, int rows, int cols) {}

  static IdxHeader readIdxHeader(String path, boolean images) throws IOException {
    int expectMagic = images ? 0x00000803 : 0x00000801;
    try (DataInputStream in = new DataInputStream(PrepareFiles.openMaybeGzip(path))) {
      int magic;
      int count;
      int rows = 1;
      int cols = 1;
      try {
        magic = in.readInt();
        if (magic != expectMagic) {
          throw new UsageException(
              String.format(
                  "%s: wrong IDX magic 0x%08x, expected 0x%08x (%s)",
                  path,
                  magic,
                  expectMagic,
                  images ? "ubyte images, 3 dims" : "ubyte labels, 1 dim"));
        }
        count = in.readInt();
        if (images) {
          rows = in.readInt();
          cols = in.readInt();
        }
      } catch (java.io.EOFException e) {
        throw new UsageException(path + ": truncated IDX header");
      }
      if (count < 0 || rows <= 0 || cols <= 0 || rows > 16384 || cols > 16384) {
        throw new UsageException(
            path + ": implausible IDX dimensions " + count + "x" + rows + "x" + cols);
      }
      long expect = (long) count * rows * cols;
      long got;
      try {
        got = in.transferTo(OutputStreamSink.INSTANCE);
      } catch (IOException e) {
        throw new UsageException(path + ": unreadable IDX data (" + e.getMessage() + ")", e);
      }
      if (got != expect) {
        throw new UsageException(
            path
                + ": IDX header declares "
                + count
                + " items ("
                + expect
                + " data bytes) but the file holds "
                + got
                + " data bytes");
      }
      return new IdxHeader(count, rows, cols);
    }
  }

  /** Discards bytes. */
  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }

  private static SourcePlan planIdx(PrepareConfig config, List<PrepareFiles.Listed> files)
      throws IOException {
    String input = config.input();
    List<SourceRef> refs = new ArrayList<>();
    LinkedHashMap<String, Long> planned = new LinkedHashMap<>();
    int maxLabel = -1;
    int rows = -1;
    int cols = -1;
    String[][] splits = {{"train", "train"}, {"t10k", "test"}};
    for (String[] s : splits) {
      PrepareFiles.Listed images = idxFile(input, files, s[0], "images-idx3");
      PrepareFiles.Listed labels = idxFile(input, files, s[0], "labels-idx1");
      IdxHeader ih = readIdxHeader(images.path(), true);
      IdxHeader lh = readIdxHeader(labels.path(), false);
      if (ih.count() != lh.count()) {
        throw new UsageException(
            String.format(
                "%s holds %d images but %s holds %d labels",
                images.path(), ih.count(), labels.path(), lh.count()));
      }
      if (rows >= 0 && (ih.rows() != rows || ih.cols() != cols)) {
        throw new UsageException(
            String.format(
                "%s has %dx%d images but the train split has %dx%d",
                images.path(), ih.rows(), ih.cols(), rows, cols));
      }
      rows = ih.rows();
      cols = ih.cols();
      try (InputStream in = PrepareFiles.openMaybeGzip(labels.path())) {
        PrepareFiles.skipFully(in, 8);
        int b;
        while ((b = in.read()) >= 0) {
          maxLabel = Math.max(maxLabel, b);
        }
      }
      long n = limit(ih.count(), config.limit());
      planned.put(s[1], n);
      for (long start = 0; start < n; start += CHUNK) {
        int count = (int) Math.min(CHUNK, n - start);
        refs.add(
            new SourceRef(
                SourceFormat.IDX,
                s[1],
                images.path(),
                labels.path(),
                start,
                start,
                count,
                -1,
                images.relative()));
      }
    }
    List<String> names;
    if (maxLabel == 9 && input.toLowerCase().contains("fashion")) {
      names = FASHION_MNIST_NAMES;
    } else {
      names = new ArrayList<>();
      for (int i = 0; i <= maxLabel; i++) {
        names.add(Integer.toString(i));
      }
    }
    int nativeSide = Math.min(rows, cols);
    return finish(config, SourceFormat.IDX, refs, planned, names, nativeSide, 1);
  }

  // ---------------------------------------------------------------- CIFAR-10

  private static SourcePlan planCifar(PrepareConfig config, List<PrepareFiles.Listed> files)
      throws IOException {
    String input = config.input();
    Map<Integer, PrepareFiles.Listed> batches = new java.util.TreeMap<>();
    for (PrepareFiles.Listed f : files) {
      Matcher m = CIFAR_TRAIN.matcher(f.relative());
      if (m.matches()) {
        batches.put(Integer.parseInt(m.group(1)), f);
      }
    }
    if (batches.isEmpty()) {
      throw new UsageException(
          "missing split file " + PrepareFiles.join(input, "data_batch_1.bin") + " (CIFAR-10)");
    }
    int k = 1;
    for (int n : batches.keySet()) {
      if (n != k++) {
        throw new UsageException(
            "missing split file "
                + PrepareFiles.join(input, "data_batch_" + (k - 1) + ".bin")
                + " (CIFAR-10 train batches must be numbered 1.."
                + batches.size()
                + ")");
      }
    }
    PrepareFiles.Listed test =
        top(files, "test_batch.bin")
            .orElseThrow(
                () ->
                    new UsageException(
                        "missing split file "
                            + PrepareFiles.join(input, "test_batch.bin")
                            + " (CIFAR-10)"));
    List<String> names = new ArrayList<>();
    Optional<PrepareFiles.Listed> meta = top(files, "batches.meta.txt");
    if (meta.isPresent()) {
      String text = new String(PrepareFiles.readAll(meta.get().path()), StandardCharsets.UTF_8);
      for (String line : text.split("\\R")) {
        if (!line.isBlank()) {
          names.add(line.strip());
        }
      }
    }
    if (names.isEmpty()) {
      for (int i = 0; i < 10; i++) {
        names.add(Integer.toString(i));
      }
    }
    List<SourceRef> refs = new ArrayList<>();
    LinkedHashMap<String, Long> planned = new LinkedHashMap<>();
    List<PrepareFiles.Listed> trainFiles = new ArrayList<>(batches.values());
    addCifar(config, "train", trainFiles, refs, planned);
    addCifar(config, "test", List.of(test), refs, planned);
    return finish(config, SourceFormat.CIFAR10, refs, planned, names, 32, 3);
  }

  private static void addCifar(
      PrepareConfig config,
      String split,
      List<PrepareFiles.Listed> parts,
      List<SourceRef> refs,
      LinkedHashMap<String, Long> planned) {
    long total = 0;
    long limit = config.limit() == 0 ? Long.MAX_VALUE : config.limit();
    for (PrepareFiles.Listed f : parts) {
      if (f.size() % CIFAR_RECORD != 0 || f.size() == 0) {
        throw new UsageException(
            f.path()
                + ": size "
                + f.size()
                + " is not a positive multiple of the CIFAR-10 record size "
                + CIFAR_RECORD);
      }
      long records = f.size() / CIFAR_RECORD;
      for (long start = 0; start < records && total < limit; start += CHUNK) {
        int count = (int) Math.min(Math.min(CHUNK, records - start), limit - total);
        refs.add(
            new SourceRef(
                SourceFormat.CIFAR10, split, f.path(), "", total, start, count, -1, f.relative()));
        total += count;
      }
    }
    planned.put(split, total);
  }

  // ---------------------------------------------------------------- image folder

  private static SourcePlan planImages(PrepareConfig config, List<PrepareFiles.Listed> files) {
    TreeSet<String> classes = new TreeSet<>();
    for (PrepareFiles.Listed f : files) {
      int slash = f.relative().indexOf('/');
      if (slash > 0) {
        classes.add(f.relative().substring(0, slash));
      }
    }
    List<String> names = new ArrayList<>(classes);
    List<SourceRef> refs = new ArrayList<>();
    long n = limit(files.size(), config.limit());
    String split = config.split();
    for (int i = 0; i < n; i++) {
      PrepareFiles.Listed f = files.get(i);
      int slash = f.relative().indexOf('/');
      int label = slash > 0 ? names.indexOf(f.relative().substring(0, slash)) : -1;
      refs.add(
          new SourceRef(SourceFormat.IMAGES, split, f.path(), "", i, 0, 1, label, f.relative()));
    }
    LinkedHashMap<String, Long> planned = new LinkedHashMap<>();
    planned.put(split, n);
    return finish(
        config,
        SourceFormat.IMAGES,
        refs,
        planned,
        names,
        PrepareConfig.DEFAULT_IMAGE_RESOLUTION,
        3);
  }

  // ---------------------------------------------------------------- common

  private static long limit(long n, long limit) {
    return limit > 0 ? Math.min(n, limit) : n;
  }

  private static SourcePlan finish(
      PrepareConfig config,
      SourceFormat format,
      List<SourceRef> refs,
      LinkedHashMap<String, Long> planned,
      List<String> names,
      int nativeResolution,
      int nativeChannels) {
    Map<String, Integer> shards = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : planned.entrySet()) {
      int s =
          config.numShards() > 0
              ? config.numShards()
              : (int)
                  Math.max(
                      1,
                      (e.getValue() + PrepareConfig.RECORDS_PER_AUTO_SHARD - 1)
                          / PrepareConfig.RECORDS_PER_AUTO_SHARD);
      shards.put(e.getKey(), s);
    }
    return new SourcePlan(
        format,
        List.copyOf(refs),
        planned,
        List.copyOf(names),
        config.resolution() > 0 ? config.resolution() : nativeResolution,
        config.channels() > 0 ? config.channels() : nativeChannels,
        shards);
  }
}
