package org.spdiff.pipelines.scores;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.Scores;
import org.spdiff.metrics.io.NpyMatrix;
import org.spdiff.metrics.linalg.LibtorchMultiplier;
import org.spdiff.metrics.stats.FeatureMatrix;
import org.spdiff.metrics.stats.FeatureMoments;
import org.spdiff.metrics.stats.FeatureStats;
import org.spdiff.pipelines.cli.UsageException;

/**
 * The one place that decides what a path on a score command line holds: a {@code .npy} feature
 * matrix (N x d, float32 or float64, as numpy writes it; handled here), otherwise whatever {@link
 * FolderFeatures} reads ({@code .npz} statistics with {@code mu} and {@code sigma}, or an image
 * folder run through the feature network). Every problem is a {@link UsageException} naming the
 * path.
 */
final class ScoreInputs {
  private ScoreInputs() {}

  /** Feature rows of one input, with the network's logits when images were featurized. */
  record Rows(String path, FeatureMatrix features, double[][] logits) {}

  static boolean isFeatureMatrix(String path) {
    return path.endsWith(".npy");
  }

  static boolean isStatistics(String path) {
    return path.endsWith(".npz");
  }

  /**
   * Checks cheaply, before any work, that the path exists and (for {@code .npy}) is an (N, d) float
   * matrix; returns the shape of a {@code .npy}, null otherwise.
   */
  static long[] precheck(String path) {
    Path p = Path.of(path);
    if (isFeatureMatrix(path) || isStatistics(path)) {
      if (!Files.isRegularFile(p)) {
        throw new UsageException(path + ": no such file");
      }
    } else if (!Files.isDirectory(p)) {
      throw new UsageException(path + ": not a folder of images, a .npy matrix or a .npz file");
    }
    if (!isFeatureMatrix(path)) {
      return null;
    }
    try {
      NpyMatrix.Header h = NpyMatrix.readHeader(p);
      if (h.shape().length != 2) {
        throw new UsageException(
            path + ": array has shape " + h.shapeText() + ", expected a 2-D (N, d) matrix");
      }
      return h.shape();
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException(message(path, e), e);
    }
  }

  /** Moments of a {@code .npy} matrix, {@code .npz} statistics or an image folder. */
  static FeatureMoments moments(String path, ScoreOptions o, FeatureExtractor[] net) {
    if (!isFeatureMatrix(path)) {
      return FolderFeatures.moments(path, o, net);
    }
    FeatureMatrix x = readMatrix(path);
    if (x.rows() < 2) {
      throw new UsageException(path + ": " + x.rows() + " row: a covariance needs at least 2");
    }
    int[] all = new int[x.rows()];
    java.util.Arrays.setAll(all, i -> i);
    return FeatureStats.of(x, all, LibtorchMultiplier.INSTANCE).moments();
  }

  /**
   * Feature rows of a {@code .npy} matrix or an image folder.
   *
   * @param need what the command needs them for, for the message when {@code path} is {@code .npz}
   *     statistics
   */
  static Rows rows(String path, ScoreOptions o, FeatureExtractor[] net, String need) {
    if (isStatistics(path)) {
      throw new UsageException(
          path
              + ": .npz statistics hold no feature rows; "
              + need
              + " needs features (a .npy N x d matrix or an image folder)");
    }
    if (isFeatureMatrix(path)) {
      return new Rows(path, readMatrix(path), null);
    }
    if (net[0] == null) {
      net[0] = FolderFeatures.open(o);
    }
    Scores.Extracted ex = FolderFeatures.extract(Path.of(path), o, net[0], true);
    return new Rows(path, FeatureMatrix.of(ex.features()), FeatureMatrix.of(ex.logits()).toArray());
  }

  /** An (N, C) matrix from a {@code .npy} file, e.g. logits. */
  static FeatureMatrix readMatrix(String path) {
    if (!isFeatureMatrix(path)) {
      throw new UsageException(path + ": expected a .npy matrix");
    }
    try {
      return NpyMatrix.read(Path.of(path));
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException(message(path, e), e);
    }
  }

  private static String message(String path, Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.contains(path) ? m : path + ": " + m;
  }
}
