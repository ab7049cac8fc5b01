package org.spdiff.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.spdiff.metrics.stats.FeatureStats;

/**
 * Pure facade: runs an extractor over images in batches and accumulates float64 feature statistics
 * and the logits. The statistics feed {@code FrechetDistance}, the logits {@code InceptionScore}.
 */
public final class Scores {
  private Scores() {}

  /**
   * Features statistics and logits of a set of images.
   *
   * @param stats accumulated (n, d) feature statistics
   * @param features raw features (n, d) if kept, else null
   * @param logits (n, classes)
   */
  public record Extracted(FeatureStats stats, float[][] features, float[][] logits) {}

  /**
   * @param extractor the network
   * @param images uint8 CHW images, {@code channels * height * width} bytes each
   * @param batchSize images per forward pass
   * @param keepFeatures also return the raw features (for KID or FID splits)
   */
  public static Extracted extract(
      FeatureExtractor extractor,
      byte[][] images,
      int channels,
      int height,
      int width,
      int batchSize,
      boolean keepFeatures) {
    try {
      return extract(
          extractor, ImageSource.of(images, channels, height, width), batchSize, keepFeatures);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an array source does no I/O
    }
  }

  /**
   * The same over images read a batch at a time: batches of {@code batchSize} in the source's
   * order, so any input holding the same images in the same order gives the same statistics, to the
   * bit.
   *
   * @throws IOException if the source cannot be read
   */
  public static Extracted extract(
      FeatureExtractor extractor, ImageSource source, int batchSize, boolean keepFeatures)
      throws IOException {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    FeatureStats stats = new FeatureStats(extractor.dims());
    List<float[]> feats = new ArrayList<>();
    List<float[]> logits = new ArrayList<>();
    for (ImageSource.Batch b = source.next(batchSize);
        b.images().length > 0;
        b = source.next(batchSize)) {
      FeatureExtractor.Outputs out =
          extractor.extract(b.images(), b.channels(), b.height(), b.width());
      stats.add(out.features());
      if (keepFeatures) {
        feats.addAll(Arrays.asList(out.features()));
      }
      logits.addAll(Arrays.asList(out.logits()));
    }
    return new Extracted(
        stats, keepFeatures ? feats.toArray(new float[0][]) : null, logits.toArray(new float[0][]));
  }
}
