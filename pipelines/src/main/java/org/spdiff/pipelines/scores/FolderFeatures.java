package org.spdiff.pipelines.scores;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.ImageSource;
import org.spdiff.metrics.Scores;
import org.spdiff.metrics.classifier.DomainClassifier;
import org.spdiff.metrics.inception.InceptionV3Fid;
import org.spdiff.metrics.io.StatsNpz;
import org.spdiff.metrics.stats.FeatureMoments;
import org.spdiff.pipelines.cli.UsageException;

/**
 * Statistics of a path as pytorch-fid takes it: a {@code .npz} with {@code mu} and {@code sigma},
 * or images (a folder, an {@code .npz} image batch, a prepared split: {@link ScoreInputs}) run
 * through the chosen feature network.
 */
final class FolderFeatures {
  private FolderFeatures() {}

  /**
   * Checks the network flags (resize, dims, download source) without loading anything, so a bad
   * flag fails before any work.
   */
  static void checkFlags(ScoreOptions o) {
    if (o.getFeatures().equals("inception")) {
      InceptionFlags.config(o);
      if (o.getInceptionWeights().isEmpty()) {
        InceptionFlags.request(o);
      }
    }
  }

  /** Opens the network the flags name; fails before any image is read. */
  static FeatureExtractor open(ScoreOptions o) {
    try {
      FeatureExtractor net;
      switch (o.getFeatures()) {
        case "inception" -> {
          InceptionV3Fid.Config config = InceptionFlags.config(o);
          net = InceptionV3Fid.load(InceptionFlags.weights(o), config);
        }
        case "domain" -> {
          Path dir = Path.of(o.getClassifier());
          if (o.getClassifier().isEmpty()
              || !Files.isRegularFile(dir.resolve(DomainClassifier.WEIGHTS))) {
            throw new UsageException(
                "--features=domain needs --classifier=DIR holding "
                    + DomainClassifier.WEIGHTS
                    + " (a study's <store>/features/<key>)");
          }
          net = DomainClassifier.load(dir);
        }
        default ->
            throw new UsageException(
                "--features: unknown network '"
                    + o.getFeatures()
                    + "' (expected inception or domain)");
      }
      if (o.getDims() != 0 && o.getDims() != net.dims()) {
        int d = net.dims();
        net.close();
        throw new UsageException(
            "--dims=" + o.getDims() + " does not match the network's " + d + " features");
      }
      return net;
    } catch (IOException e) {
      throw new UsageException("cannot load the feature network: " + e.getMessage(), e);
    }
  }

  /**
   * Moments of {@code .npz} statistics, or of the images of any other input ({@link ScoreInputs}).
   */
  static FeatureMoments moments(String path, ScoreOptions o, FeatureExtractor[] net) {
    ScoreInputs.Kind kind = ScoreInputs.kind(path);
    if (kind == ScoreInputs.Kind.STATS_NPZ) {
      try {
        return StatsNpz.read(Path.of(path));
      } catch (IOException | RuntimeException e) {
        throw new UsageException(path + ": " + e.getMessage(), e);
      }
    }
    if (net[0] == null) {
      net[0] = open(o);
    }
    return extract(Path.of(path), o, net[0]).stats().moments();
  }

  /** Features and logits of every image of an input (a folder's images sorted by name). */
  static Scores.Extracted extract(Path input, ScoreOptions o, FeatureExtractor net) {
    return extract(input, o, net, false);
  }

  /** The same, keeping each image's features if {@code keepFeatures}. */
  static Scores.Extracted extract(
      Path input, ScoreOptions o, FeatureExtractor net, boolean keepFeatures) {
    String path = input.toString();
    ScoreInputs.Kind kind = ScoreInputs.kind(path);
    Scores.Extracted ex;
    try (ImageSource images = ScoreInputs.images(path, kind, o, targetShape(net))) {
      ex = Scores.extract(net, images, o.getBatchSize(), keepFeatures);
    } catch (IOException e) {
      throw new UsageException(path + ": " + e.getMessage(), e);
    }
    if (ex.stats().count() == 0) {
      throw new UsageException(path + ": no image could be decoded (see the dead letters above)");
    }
    return ex;
  }

  /** The input shape a domain classifier was trained on; null for Inception (any size). */
  private static int[] targetShape(FeatureExtractor net) {
    if (net instanceof DomainClassifier dc) {
      var r = dc.record();
      return new int[] {r.channels(), r.height(), r.width()};
    }
    return null;
  }
}
