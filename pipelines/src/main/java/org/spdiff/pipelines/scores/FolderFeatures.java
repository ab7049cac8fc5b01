package org.spdiff.pipelines.scores;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.Scores;
import org.spdiff.metrics.classifier.DomainClassifier;
import org.spdiff.metrics.inception.InceptionV3Fid;
import org.spdiff.metrics.io.StatsNpz;
import org.spdiff.metrics.stats.FeatureMoments;
import org.spdiff.pipelines.cli.UsageException;
import org.spdiff.pipelines.prepare.BadInputException;
import org.spdiff.pipelines.prepare.ImageDecoder;
import org.spdiff.pipelines.prepare.ImageOps;

/**
 * Statistics of a path as pytorch-fid takes it: a {@code .npz} with {@code mu} and {@code sigma},
 * or a folder of PNG/JPEG images run through the chosen feature network.
 */
final class FolderFeatures {
  private FolderFeatures() {}

  /** Opens the network the flags name; fails before any image is read. */
  static FeatureExtractor open(ScoreOptions o) {
    try {
      FeatureExtractor net;
      switch (o.getFeatures()) {
        case "inception" -> {
          if (o.getInceptionWeights().isEmpty()) {
            throw new UsageException(
                "--features=inception needs --inceptionWeights=FILE.safetensors (the weights cannot be"
                    + " downloaded; convert pytorch-fid's .pth with infra/weights/convert_pytorch_fid.py)");
          }
          Path w = Path.of(o.getInceptionWeights());
          if (!Files.isRegularFile(w)) {
            throw new UsageException("--inceptionWeights: " + w + " does not exist");
          }
          net = InceptionV3Fid.load(w);
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

  /** Moments of a {@code .npz} file or of an image folder. */
  static FeatureMoments moments(String path, ScoreOptions o, FeatureExtractor[] net) {
    Path p = Path.of(path);
    if (path.endsWith(".npz")) {
      if (!Files.isRegularFile(p)) {
        throw new UsageException(path + ": no such file");
      }
      try {
        return StatsNpz.read(p);
      } catch (IOException | RuntimeException e) {
        throw new UsageException(path + ": " + e.getMessage(), e);
      }
    }
    if (net[0] == null) {
      net[0] = open(o);
    }
    return extract(p, o, net[0]).stats().moments();
  }

  /** Features and logits of every image in a folder (sorted by name). */
  static Scores.Extracted extract(Path dir, ScoreOptions o, FeatureExtractor net) {
    return extract(dir, o, net, false);
  }

  /** As {@link #extract(Path, ScoreOptions, FeatureExtractor)}, optionally keeping the rows. */
  static Scores.Extracted extract(
      Path dir, ScoreOptions o, FeatureExtractor net, boolean keepFeatures) {
    if (!Files.isDirectory(dir)) {
      throw new UsageException(dir + ": not a folder of images or a .npz file");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(Files::isRegularFile)
              .filter(
                  f ->
                      f.getFileName()
                          .toString()
                          .toLowerCase(Locale.ROOT)
                          .matches(".*\\.(png|jpe?g)"))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new UsageException(dir + ": cannot list: " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new UsageException(dir + ": no PNG or JPEG images in the folder");
    }
    int[] shape = targetShape(net);
    List<byte[]> images = new ArrayList<>();
    int c = 0, h = 0, w = 0;
    for (Path f : files) {
      ImageDecoder.Decoded d;
      try {
        d = ImageDecoder.decode(Files.readAllBytes(f), f.toString());
      } catch (BadInputException | IOException e) {
        throw new UsageException(f + ": " + e.getMessage(), e);
      }
      int ch = shape == null ? (d.channels() == 1 ? 1 : 3) : shape[0];
      byte[] px = ImageOps.toChannels(d.pixels(), d.height(), d.width(), d.channels(), ch);
      int ih = d.height(), iw = d.width();
      if (shape != null && (ih != shape[1] || iw != shape[2])) {
        px = ImageOps.centreCrop(px, ih, iw, ch);
        px = ImageOps.resizeSquare(px, ch, Math.min(ih, iw), shape[1]);
        ih = shape[1];
        iw = shape[2];
      }
      if (images.isEmpty()) {
        c = ch;
        h = ih;
        w = iw;
      } else if (ch != c || ih != h || iw != w) {
        throw new UsageException(
            f
                + ": "
                + ch
                + "x"
                + ih
                + "x"
                + iw
                + " differs from the folder's first image ("
                + c
                + "x"
                + h
                + "x"
                + w
                + "); use images of one size");
      }
      images.add(px);
    }
    return Scores.extract(
        net, images.toArray(byte[][]::new), c, h, w, o.getBatchSize(), keepFeatures);
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
