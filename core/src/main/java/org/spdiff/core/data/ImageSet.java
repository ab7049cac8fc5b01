package org.spdiff.core.data;

import java.util.Objects;

/**
 * An in-memory set of uint8 images with optional labels, the training data a stage holds.
 *
 * <p>Pixels of image {@code i} are {@code channels * height * width} bytes in CHW order, values
 * 0..255 (read as unsigned). A label is {@code 0..numClasses-1}, or -1 for an unlabelled set.
 */
public final class ImageSet {
  private final int channels;
  private final int height;
  private final int width;
  private final byte[][] pixels;
  private final int[] labels;
  private final int numClasses;

  public ImageSet(
      int channels, int height, int width, byte[][] pixels, int[] labels, int numClasses) {
    Objects.requireNonNull(pixels, "pixels");
    Objects.requireNonNull(labels, "labels");
    if (pixels.length != labels.length) {
      throw new IllegalArgumentException(
          "pixels and labels differ in count: " + pixels.length + " vs " + labels.length);
    }
    int n = channels * height * width;
    for (int i = 0; i < pixels.length; i++) {
      if (pixels[i].length != n) {
        throw new IllegalArgumentException(
            "image " + i + " has " + pixels[i].length + " bytes, expected " + n);
      }
      if (labels[i] >= numClasses || labels[i] < -1) {
        throw new IllegalArgumentException(
            "image " + i + " has label " + labels[i] + " outside -1.." + (numClasses - 1));
      }
    }
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.pixels = pixels;
    this.labels = labels;
    this.numClasses = numClasses;
  }

  public int size() {
    return pixels.length;
  }

  public int channels() {
    return channels;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  /** The CHW uint8 pixels of image {@code i} (not copied: do not modify). */
  public byte[] pixels(int i) {
    return pixels[i];
  }

  /** The label of image {@code i}, or -1. */
  public int label(int i) {
    return labels[i];
  }

  /** Number of classes; 0 for an unlabelled set. */
  public int numClasses() {
    return numClasses;
  }
}
