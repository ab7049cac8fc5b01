package org.spdiff.pipelines.scores;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.spdiff.core.data.ImageSet;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.ImageSource;
import org.spdiff.metrics.Scores;
import org.spdiff.metrics.io.ImageBatchNpz;
import org.spdiff.metrics.io.NpyMatrix;
import org.spdiff.metrics.io.StatsNpz;
import org.spdiff.metrics.linalg.LibtorchMultiplier;
import org.spdiff.metrics.stats.FeatureMatrix;
import org.spdiff.metrics.stats.FeatureMoments;
import org.spdiff.metrics.stats.FeatureStats;
import org.spdiff.pipelines.cli.UsageException;
import org.spdiff.pipelines.prepare.ImageOps;
import org.spdiff.pipelines.prepare.PrepareManifest;
import org.spdiff.pipelines.prepare.records.RecordShards;
import org.spdiff.pipelines.stages.FloatMatrix;

/**
 * The one place that decides what a path on a score command line ({@code spdiff fid | stats | is |
 * features | kid | prdc | compare}) holds, told apart by its content, and turns it into what a
 * command needs: moments ({@link #moments}), feature rows ({@link #rows}) or images ({@link
 * #extract}, through the {@link ScoreNetwork}).
 *
 * <ul>
 *   <li>{@link Kind#FEATURE_NPY}: a feature matrix, numpy's {@code .npy} (N, d), float32 or float64
 *       (what {@code spdiff features} writes, or any other tool's features);
 *   <li>{@link Kind#STATS_NPZ}: pytorch-fid statistics, an {@code .npz} with {@code mu} and {@code
 *       sigma} (moments only, no rows);
 *   <li>{@link Kind#IMAGE_NPZ}: an {@code .npz} image batch ({@code arr_0}, uint8, N x H x W x C)
 *       as guided-diffusion, EDM and the ADM evaluator write it;
 *   <li>{@link Kind#PREPARED_SPLIT}: a prepared spdiff data set (a folder with {@code
 *       manifest.json} and record shards, e.g. {@code <store>/prepare/<key>}, or the manifest
 *       itself), split {@code --split};
 *   <li>{@link Kind#IMAGE_FOLDER}: a folder of images ({@link FolderImages}: pytorch-fid's
 *       extensions, a file Java cannot decode is a dead letter).
 * </ul>
 *
 * The three image kinds are featurized by the network the flags name, opened on first need and
 * shared by every input of a command; images are converted to a domain classifier's input shape.
 * Every problem is a {@link UsageException} naming the path.
 */
final class ScoreInputs {
  private ScoreInputs() {}

  /** The kinds of input. */
  enum Kind {
    FEATURE_NPY,
    STATS_NPZ,
    IMAGE_NPZ,
    PREPARED_SPLIT,
    IMAGE_FOLDER;

    /** Whether the input holds images, which the feature network must see. */
    boolean images() {
      return this == IMAGE_NPZ || this == PREPARED_SPLIT || this == IMAGE_FOLDER;
    }
  }

  /**
   * Feature rows of one input.
   *
   * @param features (N, d)
   * @param logits (N, C) when images went through a network with logits, else null
   */
  record Rows(String path, FeatureMatrix features, double[][] logits) {}

  /** The kind of {@code path}; fails naming it when it does not exist or is none of them. */
  static Kind kind(String path) {
    Path p = Path.of(path);
    if (path.endsWith(".npy") || path.endsWith(".npz")) {
      if (!Files.isRegularFile(p)) {
        throw new UsageException(path + ": no such file");
      }
      if (path.endsWith(".npy")) {
        return Kind.FEATURE_NPY;
      }
      try {
        return ImageBatchNpz.isImageBatch(p) ? Kind.IMAGE_NPZ : Kind.STATS_NPZ;
      } catch (IOException e) {
        throw new UsageException(message(path, e), e);
      }
    }
    if (p.getFileName() != null
        && p.getFileName().toString().equals(PrepareManifest.FILE)
        && Files.isRegularFile(p)) {
      return Kind.PREPARED_SPLIT;
    }
    if (Files.isDirectory(p)) {
      return Files.isRegularFile(p.resolve(PrepareManifest.FILE))
          ? Kind.PREPARED_SPLIT
          : Kind.IMAGE_FOLDER;
    }
    throw new UsageException(
        path
            + ": not a folder of images, a .npy feature matrix, an .npz (statistics or an arr_0"
            + " image batch) or a prepared data set");
  }

  /** Whether {@code path} is pytorch-fid {@code .npz} statistics (moments, no rows). */
  static boolean isStatistics(String path) {
    return kind(path) == Kind.STATS_NPZ;
  }

  /**
   * Checks cheaply, before any work, that the path is an input ({@link #kind}) and, for a {@code
   * .npy}, a 2-D (N, d) matrix; returns the shape of a {@code .npy}, null otherwise.
   */
  static long[] precheck(String path) {
    if (kind(path) != Kind.FEATURE_NPY) {
      return null;
    }
    try {
      NpyMatrix.Header h = NpyMatrix.readHeader(Path.of(path));
      if (h.shape().length != 2) {
        throw new UsageException(
            path + ": array has shape " + h.shapeText() + ", expected a 2-D (N, d) matrix");
      }
      return h.shape();
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException(message(path, e), e);
    }
  }

  /**
   * Moments (mean, covariance) of any input: a {@code .npy} matrix's rows, {@code .npz} statistics
   * as stored, or the features of images.
   *
   * @param net holder of the network, opened on first need (the caller closes it)
   */
  static FeatureMoments moments(String path, ScoreOptions o, FeatureExtractor[] net) {
    Kind kind = kind(path);
    switch (kind) {
      case STATS_NPZ -> {
        try {
          return StatsNpz.read(Path.of(path));
        } catch (IOException | RuntimeException e) {
          throw new UsageException(message(path, e), e);
        }
      }
      case FEATURE_NPY -> {
        FeatureMatrix x = readMatrix(path);
        if (x.rows() < 2) {
          throw new UsageException(path + ": " + x.rows() + " row: a covariance needs at least 2");
        }
        return momentsOf(x);
      }
      default -> {
        FeatureStats stats = extract(path, o, ScoreNetwork.shared(o, net), false).stats();
        if (stats.count() < 2) {
          throw new UsageException(
              path + ": " + stats.count() + " image: a covariance needs at least 2");
        }
        return stats.moments();
      }
    }
  }

  /** Statistics of every row of {@code x}, float64 products through libtorch. */
  static FeatureStats statsOf(FeatureMatrix x) {
    int[] all = new int[x.rows()];
    Arrays.setAll(all, i -> i);
    return FeatureStats.of(x, all, LibtorchMultiplier.INSTANCE);
  }

  /** Moments of every row of {@code x}. */
  static FeatureMoments momentsOf(FeatureMatrix x) {
    return statsOf(x).moments();
  }

  /**
   * Feature rows of a {@code .npy} matrix or of images (with their logits when the network has
   * them).
   *
   * @param net holder of the network, opened on first need (the caller closes it)
   * @param need what the command needs them for, for the message when {@code path} is {@code .npz}
   *     statistics
   */
  static Rows rows(String path, ScoreOptions o, FeatureExtractor[] net, String need) {
    Kind kind = kind(path);
    if (kind == Kind.STATS_NPZ) {
      throw new UsageException(
          path
              + ": .npz statistics hold no feature rows; "
              + need
              + " needs features (a .npy N x d matrix or images)");
    }
    if (kind == Kind.FEATURE_NPY) {
      return new Rows(path, readMatrix(path), null);
    }
    FeatureExtractor n = ScoreNetwork.shared(o, net);
    Scores.Extracted ex = extract(path, o, n, true);
    double[][] logits = n.classes() == 0 ? null : FloatMatrix.toDouble(ex.logits());
    return new Rows(path, features(path, ex.features()), logits);
  }

  private static FeatureMatrix features(String path, float[][] rows) {
    try {
      return FeatureMatrix.of(rows);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(path + ": features: " + e.getMessage(), e);
    }
  }

  /** An (N, C) matrix from a {@code .npy} file (features or logits). */
  static FeatureMatrix readMatrix(String path) {
    if (kind(path) != Kind.FEATURE_NPY) {
      throw new UsageException(path + ": expected a .npy matrix");
    }
    try {
      return NpyMatrix.read(Path.of(path));
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException(message(path, e), e);
    }
  }

  /**
   * Features and logits of every image of an image input, in its order (a folder's images sorted by
   * name, dead letters skipped).
   *
   * @param keepFeatures also keep each image's features, not only their statistics
   */
  static Scores.Extracted extract(
      String path, ScoreOptions o, FeatureExtractor net, boolean keepFeatures) {
    Kind kind = kind(path);
    Scores.Extracted ex;
    try (ImageSource images = images(path, kind, o, ScoreNetwork.targetShape(net))) {
      ex = Scores.extract(net, images, o.getBatchSize(), keepFeatures);
    } catch (IOException e) {
      throw new UsageException(message(path, e), e);
    }
    if (ex.stats().count() == 0) {
      throw new UsageException(path + ": no image could be decoded (see the dead letters above)");
    }
    return ex;
  }

  /**
   * The images of an image input, at most {@code max} per batch.
   *
   * @param target (channels, height, width) to convert every image to, or null to keep them
   */
  static ImageSource images(String path, Kind kind, ScoreOptions o, int[] target) {
    Path p = Path.of(path);
    try {
      return switch (kind) {
        case IMAGE_NPZ -> conformed(ImageBatchNpz.open(p), target);
        case PREPARED_SPLIT -> conformed(preparedSplit(p, o.getSplit()), target);
        case IMAGE_FOLDER -> {
          List<Path> files = FolderImages.list(p);
          if (files.isEmpty()) {
            throw new UsageException(
                path
                    + ": no PNG or JPEG (or "
                    + String.join(", ", FolderImages.EXTENSIONS)
                    + ") images in the folder");
          }
          yield new FolderImages(files, target, System.err);
        }
        case STATS_NPZ ->
            throw new UsageException(
                path + ": holds statistics (mu, sigma), not images or per-image features");
        case FEATURE_NPY -> throw new UsageException(path + ": holds a feature matrix, not images");
      };
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException(message(path, e), e);
    }
  }

  /** The images of split {@code split} of a prepared data set, as the study's stages read them. */
  static ImageSource preparedSplit(Path path, String split) throws IOException {
    String dir =
        path.getFileName().toString().equals(PrepareManifest.FILE)
            ? path.toAbsolutePath().getParent().toString()
            : path.toString();
    ImageSet set;
    try {
      set = RecordShards.readSplit(dir, split);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--split=" + split + ": " + e.getMessage() + " in " + dir, e);
    }
    if (set.size() == 0) {
      throw new UsageException(dir + ": split '" + split + "' has no images");
    }
    byte[][] px = new byte[set.size()][];
    for (int i = 0; i < px.length; i++) {
      px[i] = set.pixels(i);
    }
    return ImageSource.of(px, set.channels(), set.height(), set.width());
  }

  /** {@code source} with every image converted to {@code target} (unchanged when null). */
  static ImageSource conformed(ImageSource source, int[] target) {
    if (target == null) {
      return source;
    }
    return new ImageSource() {
      @Override
      public Batch next(int max) throws IOException {
        Batch b = source.next(max);
        byte[][] out = new byte[b.images().length][];
        for (int i = 0; i < out.length; i++) {
          out[i] = toShape(b.images()[i], b.channels(), b.height(), b.width(), target);
        }
        return new Batch(out, target[0], target[1], target[2]);
      }

      @Override
      public void close() throws IOException {
        source.close();
      }
    };
  }

  /**
   * One CHW image converted to (channels, height, width): channels, then centre crop and resize.
   */
  static byte[] toShape(byte[] px, int c, int h, int w, int[] target) {
    px = ImageOps.toChannels(px, h, w, c, target[0]);
    if (h != target[1] || w != target[2]) {
      px = ImageOps.centreCrop(px, h, w, target[0]);
      px = ImageOps.resizeSquare(px, target[0], Math.min(h, w), target[1]);
    }
    return px;
  }

  private static String message(String path, Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.contains(path) ? m : path + ": " + m;
  }
}
