package org.spdiff.pipelines.prepare;

import java.util.Locale;

/** The raw data set layouts {@code prepare} reads. */
public enum SourceFormat {
  /**
   * MNIST-style IDX files, gzipped or not: {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte}.
   */
  IDX,
  /** A folder of PNG/JPEG files; the first sub-folder is the class, flat folders are unlabelled. */
  IMAGES,
  /** CIFAR-10 binary batches: {@code data_batch_N.bin} (train), {@code test_batch.bin} (test). */
  CIFAR10;

  /** Parses {@code idx|images|cifar10}; {@code auto} or empty gives null. */
  public static SourceFormat parse(String s) {
    if (s == null || s.isEmpty() || s.equalsIgnoreCase("auto")) {
      return null;
    }
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "idx", "mnist" -> IDX;
      case "images", "folder", "imagefolder" -> IMAGES;
      case "cifar10", "cifar-10" -> CIFAR10;
      default ->
          throw new IllegalArgumentException(
              "--format must be auto, idx, images or cifar10, not '" + s + "'");
    };
  }

  /** Lower-case name used in flags and manifests. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
