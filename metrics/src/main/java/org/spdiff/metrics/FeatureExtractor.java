package org.spdiff.metrics;

/**
 * A frozen network that maps uint8 images to feature vectors (for FID / KID) and class logits (for
 * IS). Implementations own native memory: close them.
 *
 * <p>Images are given as one {@code byte[]} per image, unsigned 8-bit, channel-major (C, H, W),
 * {@code channels * height * width} bytes each. Batching is the caller's choice; an implementation
 * may process large inputs in internal chunks.
 */
public interface FeatureExtractor extends AutoCloseable {

  /** Feature dimension d (2048 for Inception pool3). */
  int dims();

  /** Number of logit classes (1008 for the FID Inception). */
  int classes();

  /**
   * Network and weights identity, e.g. {@code
   * pytorch-fid-inception-v3/resize=legacy-pytorch@sha256:1a2b...}.
   */
  String id();

  /** Features and logits of one batch. */
  Outputs extract(byte[][] images, int channels, int height, int width);

  /** Pool features, shape (n, dims()). */
  default float[][] features(byte[][] images, int channels, int height, int width) {
    return extract(images, channels, height, width).features();
  }

  /** Logits, shape (n, classes()). */
  default float[][] logits(byte[][] images, int channels, int height, int width) {
    return extract(images, channels, height, width).logits();
  }

  @Override
  void close();

  /**
   * Both outputs of one forward pass.
   *
   * @param features (n, dims())
   * @param logits (n, classes())
   */
  record Outputs(float[][] features, float[][] logits) {}
}
