package org.spdiff.metrics;

import java.io.IOException;

/**
 * Images read a batch at a time, so that a large input (a folder, an {@code .npz} image batch, a
 * prepared split) need not be held in memory: uint8, channel-major (C, H, W), every image of one
 * shape. Close it to release files.
 */
public interface ImageSource extends AutoCloseable {

  /**
   * One batch.
   *
   * @param images {@code channels * height * width} bytes each
   */
  record Batch(byte[][] images, int channels, int height, int width) {}

  /**
   * The next images, at most {@code max} of them; an empty batch at the end.
   *
   * @throws IOException if the input cannot be read
   * @throws IllegalArgumentException naming the image if its shape differs from the first one's
   */
  Batch next(int max) throws IOException;

  @Override
  default void close() throws IOException {}

  /** The images of an in-memory array. */
  static ImageSource of(byte[][] images, int channels, int height, int width) {
    return new ImageSource() {
      private int at;

      @Override
      public Batch next(int max) {
        int to = Math.min(images.length, at + max);
        byte[][] b = java.util.Arrays.copyOfRange(images, at, to);
        at = to;
        return new Batch(b, channels, height, width);
      }
    };
  }
}
