package org.spdiff.pipelines.prepare.records;

import java.util.Arrays;
import java.util.Objects;

/**
 * One training image: uint8 pixels in CHW order ({@code channels * height * width} bytes, values
 * 0..255 read unsigned), a label ({@code 0..numClasses-1}, or -1 when unlabelled), the split it
 * belongs to, its stable index within the split (the sort key inside a shard) and the id of its
 * source (a relative path, or {@code file#n} for records inside container files).
 *
 * <p>Immutable by convention: the pixel array is not copied; do not modify it.
 */
public final class ImageRecord {
  private final String split;
  private final long index;
  private final String sourceId;
  private final int label;
  private final int height;
  private final int width;
  private final int channels;
  private final byte[] pixels;

  public ImageRecord(
      String split,
      long index,
      String sourceId,
      int label,
      int height,
      int width,
      int channels,
      byte[] pixels) {
    this.split = Objects.requireNonNull(split, "split");
    this.index = index;
    this.sourceId = Objects.requireNonNull(sourceId, "sourceId");
    this.label = label;
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.pixels = Objects.requireNonNull(pixels, "pixels");
    if ((long) height * width * channels != pixels.length) {
      throw new IllegalArgumentException(
          "pixels has "
              + pixels.length
              + " bytes, expected "
              + channels
              + "x"
              + height
              + "x"
              + width);
    }
  }

  public String split() {
    return split;
  }

  public long index() {
    return index;
  }

  public String sourceId() {
    return sourceId;
  }

  public int label() {
    return label;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public int channels() {
    return channels;
  }

  /** CHW uint8 pixels (not copied). */
  public byte[] pixels() {
    return pixels;
  }

  /** The same image with other pixels and shape. */
  public ImageRecord withPixels(int height, int width, int channels, byte[] pixels) {
    return new ImageRecord(split, index, sourceId, label, height, width, channels, pixels);
  }

  /** The same record placed at another split/index (the reader numbers records by position). */
  public ImageRecord withPlace(String split, long index) {
    return new ImageRecord(split, index, sourceId, label, height, width, channels, pixels);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ImageRecord r)) {
      return false;
    }
    return index == r.index
        && label == r.label
        && height == r.height
        && width == r.width
        && channels == r.channels
        && split.equals(r.split)
        && sourceId.equals(r.sourceId)
        && Arrays.equals(pixels, r.pixels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(split, index, sourceId, label, height, width, channels)
        + 31 * Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return String.format(
        "ImageRecord{%s#%d %s label=%d %dx%dx%d}",
        split, index, sourceId, label, channels, height, width);
  }
}
