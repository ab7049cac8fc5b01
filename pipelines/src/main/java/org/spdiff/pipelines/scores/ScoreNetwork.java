package org.spdiff.pipelines.scores;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.classifier.DomainClassifier;
import org.spdiff.metrics.inception.InceptionV3Fid;
import org.spdiff.pipelines.cli.UsageException;

/**
 * The feature network of the scoring commands, as the flags name it: {@code --features=inception}
 * (pytorch-fid's FID Inception with {@link InceptionFlags}: weights or download, {@code --resize},
 * {@code --dims}, {@code --batchSize}) or {@code --features=domain --classifier=DIR}. Every command
 * that may featurize images checks the flags first ({@link #checkFlags}) and opens the network only
 * when an input holds images ({@link ScoreInputs}).
 */
final class ScoreNetwork {
  private ScoreNetwork() {}

  /**
   * Checks the network flags (resize, dims, batch size, download source) without loading anything,
   * so a bad flag fails before any work, whatever the inputs are.
   */
  static void checkFlags(ScoreOptions o) {
    if (o.getFeatures().equals("inception")) {
      InceptionFlags.config(o);
      if (o.getInceptionWeights().isEmpty()) {
        InceptionFlags.request(o);
      }
    } else if (o.getBatchSize() < 1) {
      throw new UsageException("--batchSize must be >= 1, got " + o.getBatchSize());
    }
  }

  /** The network in {@code holder[0]}, opened there on first use; the caller closes it. */
  static FeatureExtractor shared(ScoreOptions o, FeatureExtractor[] holder) {
    if (holder[0] == null) {
      holder[0] = open(o);
    }
    return holder[0];
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
   * The input shape (channels, height, width) a domain classifier was trained on; null for
   * Inception, which takes any size (and resizes to 299 itself).
   */
  static int[] targetShape(FeatureExtractor net) {
    if (net instanceof DomainClassifier dc) {
      var r = dc.record();
      return new int[] {r.channels(), r.height(), r.width()};
    }
    return null;
  }
}
