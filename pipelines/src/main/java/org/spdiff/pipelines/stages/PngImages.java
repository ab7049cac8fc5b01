package org.spdiff.pipelines.stages;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** uint8 CHW images to and from PNG (8-bit gray or RGB), and sample grids. */
public final class PngImages {
  private PngImages() {}

  /** Encodes one image of {@code channels} (1 or 3) x h x w bytes. */
  public static byte[] encode(byte[] chw, int channels, int h, int w) {
    BufferedImage img =
        new BufferedImage(
            w, h, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    WritableRaster r = img.getRaster();
    int plane = h * w;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        if (channels == 1) {
          r.setSample(x, y, 0, chw[i] & 0xff);
        } else {
          r.setSample(x, y, 0, chw[i] & 0xff);
          r.setSample(x, y, 1, chw[plane + i] & 0xff);
          r.setSample(x, y, 2, chw[2 * plane + i] & 0xff);
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Decodes a PNG this class wrote back to CHW bytes. */
  public static byte[] decode(byte[] png, int channels, int h, int w) {
    BufferedImage img;
    try {
      img = ImageIO.read(new ByteArrayInputStream(png));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (img == null || img.getWidth() != w || img.getHeight() != h) {
      throw new IllegalArgumentException("not a " + w + "x" + h + " PNG sample");
    }
    byte[] out = new byte[channels * h * w];
    int plane = h * w;
    var r = img.getRaster();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        for (int c = 0; c < channels; c++) {
          out[c * plane + i] = (byte) r.getSample(x, y, c);
        }
      }
    }
    return out;
  }

  /** Tiles up to {@code g * g} images into one PNG with a 2-pixel white gutter. */
  public static byte[] grid(java.util.List<byte[]> images, int g, int channels, int h, int w) {
    int pad = 2;
    int side = g;
    int gh = side * h + (side + 1) * pad;
    int gw = side * w + (side + 1) * pad;
    byte[] canvas = new byte[channels * gh * gw];
    java.util.Arrays.fill(canvas, (byte) 255);
    for (int k = 0; k < Math.min(images.size(), g * g); k++) {
      int oy = pad + (k / side) * (h + pad);
      int ox = pad + (k % side) * (w + pad);
      byte[] im = images.get(k);
      for (int c = 0; c < channels; c++) {
        for (int y = 0; y < h; y++) {
          System.arraycopy(im, c * h * w + y * w, canvas, c * gh * gw + (oy + y) * gw + ox, w);
        }
      }
    }
    return encode(canvas, channels, gh, gw);
  }
}
