package org.spdiff.pipelines.scores;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.spdiff.core.data.ImageSet;
import org.spdiff.metrics.ImageSource;
import org.spdiff.metrics.io.ImageBatchNpz;
import org.spdiff.pipelines.cli.UsageException;
import org.spdiff.pipelines.prepare.ImageOps;
import org.spdiff.pipelines.prepare.PrepareManifest;
import org.spdiff.pipelines.prepare.records.RecordShards;

/**
 * What a path given to {@code spdiff fid | stats | is | features} is, told apart by what it holds:
 *
 * <ul>
 *   <li>{@link Kind#STATS_NPZ}: pytorch-fid statistics, an {@code .npz} with {@code mu} and {@code
 *       sigma};
 *   <li>{@link Kind#IMAGE_NPZ}: an {@code .npz} image batch ({@code arr_0}, uint8, N x H x W x C)
 *       as guided-diffusion, EDM and the ADM evaluator write it;
 *   <li>{@link Kind#PREPARED_SPLIT}: a prepared spdiff data set (a folder with {@code
 *       manifest.json} and record shards, e.g. {@code <store>/prepare/<key>}, or the manifest
 *       itself), split {@code --split};
 *   <li>{@link Kind#IMAGE_FOLDER}: a folder of images ({@link FolderImages}).
 * </ul>
 *
 * The three image kinds become an {@link ImageSource}; images are converted to a domain
 * classifier's input shape when one is given.
 */
final class ScoreInputs {
  private ScoreInputs() {}

  /** The kinds of input. */
  enum Kind {
    STATS_NPZ,
    IMAGE_NPZ,
    PREPARED_SPLIT,
    IMAGE_FOLDER
  }

  /** The kind of {@code path}; fails naming it when it is none of them. */
  static Kind kind(String path) {
    Path p = Path.of(path);
    if (path.endsWith(".npz")) {
      if (!Files.isRegularFile(p)) {
        throw new UsageException(path + ": no such file");
      }
      try {
        return ImageBatchNpz.isImageBatch(p) ? Kind.IMAGE_NPZ : Kind.STATS_NPZ;
      } catch (IOException e) {
        throw new UsageException(path + ": " + e.getMessage(), e);
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
            + ": not a folder of images, an .npz (statistics or an arr_0 image batch) or a prepared"
            + " data set");
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
      };
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException(path + ": " + e.getMessage(), e);
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
}
