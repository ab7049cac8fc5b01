package org.spdiff.pipelines.prepare;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Builds small test images of every kind the decoder must handle, and broken ones. */
final class TestImages {
  private TestImages() {}

  static byte[] encode(BufferedImage img, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(img, format, out)) {
        throw new IllegalStateException("no writer for " + format + " / " + img);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static BufferedImage gray8(int w, int h, int seed) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().setSample(x, y, 0, (x * 7 + y * 3 + seed) & 0xFF);
      }
    }
    return img;
  }

  static BufferedImage rgb(int w, int h, int seed) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, ((x * 9 + seed) & 0xFF) << 16 | ((y * 5) & 0xFF) << 8 | (seed & 0xFF));
      }
    }
    return img;
  }

  static BufferedImage rgba(int w, int h, int r, int g, int b, int a) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, a << 24 | r << 16 | g << 8 | b);
      }
    }
    return img;
  }

  static BufferedImage palette(int w, int h) {
    byte[] r = {0, (byte) 255, 0, 0};
    byte[] g = {0, 0, (byte) 255, 0};
    byte[] b = {0, 0, 0, (byte) 255};
    IndexColorModel cm = new IndexColorModel(2, 4, r, g, b);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY, cm);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().setSample(x, y, 0, (x + y) % 4);
      }
    }
    return img;
  }

  static BufferedImage gray16(int w, int h, int value) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().setSample(x, y, 0, value);
      }
    }
    return img;
  }

  static BufferedImage grayAlpha(int w, int h, int gray, int alpha) {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_GRAY),
            true,
            false,
            Transparency.TRANSLUCENT,
            DataBuffer.TYPE_BYTE);
    WritableRaster raster = cm.createCompatibleWritableRaster(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        raster.setSample(x, y, 0, gray);
        raster.setSample(x, y, 1, alpha);
      }
    }
    return new BufferedImage(cm, raster, false, null);
  }

  /** A valid PNG whose IHDR declares {@code w x h} (no real pixel data). */
  static byte[] pngDeclaring(int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    ByteBuffer ihdr = ByteBuffer.allocate(17);
    ihdr.put("IHDR".getBytes()).putInt(w).putInt(h).put((byte) 8).put((byte) 0);
    ihdr.put((byte) 0).put((byte) 0).put((byte) 0);
    b.putInt(13).put(ihdr.array()).putInt(crc(ihdr.array()));
    b.putInt(0).put("IEND".getBytes()).putInt(crc("IEND".getBytes()));
    return b.array();
  }

  private static int crc(byte[] data) {
    CRC32 c = new CRC32();
    c.update(data);
    return (int) c.getValue();
  }

  /** A PNG with its compressed pixel data overwritten (end marker kept). */
  static byte[] corruptPng() {
    byte[] png = encode(rgb(40, 40, 3), "png");
    byte[] bad = png.clone();
    int idat = indexOf(bad, "IDAT".getBytes());
    for (int i = idat + 4; i < Math.min(bad.length - 16, idat + 60); i++) {
      bad[i] = (byte) (0xA5 ^ i);
    }
    return bad;
  }

  static byte[] truncated(byte[] b) {
    return Arrays.copyOf(b, b.length * 3 / 5);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * Writes 100 good images (PNG gray, RGB, RGBA, palette, 16-bit, gray+alpha; JPEG) into class
   * sub-folders {@code cat}, {@code dog}, {@code fox}, plus six bad files at the top of {@code
   * bad/}: corrupt, truncated, zero-byte, non-image, unsupported (BMP), absurd dimensions.
   */
  static void writeFolder(Path root) throws IOException {
    String[] classes = {"cat", "dog", "fox"};
    for (int i = 0; i < 100; i++) {
      Path dir = root.resolve(classes[i % 3]);
      Files.createDirectories(dir);
      int w = 20 + (i % 5) * 3;
      int h = 18 + (i % 7) * 2;
      byte[] data;
      String ext = "png";
      switch (i % 7) {
        case 0 -> data = encode(gray8(w, h, i), "png");
        case 1 -> data = encode(rgb(w, h, i), "png");
        case 2 -> data = encode(rgba(w, h, i, 100, 200, i * 2), "png");
        case 3 -> data = encode(palette(w, h), "png");
        case 4 -> data = encode(gray16(w, h, i * 600), "png");
        case 5 -> data = encode(grayAlpha(w, h, i, 128), "png");
        default -> {
          data = encode(rgb(w, h, i), "jpeg");
          ext = "jpg";
        }
      }
      Files.write(dir.resolve(String.format("img%03d.%s", i, ext)), data);
    }
    Path bad = root.resolve("bad");
    Files.createDirectories(bad);
    Files.write(bad.resolve("corrupt.png"), corruptPng());
    Files.write(bad.resolve("truncated.png"), truncated(encode(rgb(40, 40, 1), "png")));
    Files.write(bad.resolve("zero.png"), new byte[0]);
    Files.write(bad.resolve("notes.txt"), "not an image\n".getBytes());
    Files.write(bad.resolve("legacy.bmp"), encode(rgb(8, 8, 1), "bmp"));
    Files.write(bad.resolve("huge.png"), pngDeclaring(100_000, 100_000));
  }
}
