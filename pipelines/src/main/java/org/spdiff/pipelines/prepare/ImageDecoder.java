package org.spdiff.pipelines.prepare;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG and JPEG bytes (javax.imageio) into uint8 CHW pixels with 1 (gray) or 3 (RGB)
 * channels at native size, or rejects them with a {@link DeadLetterReason}.
 *
 * <p>Conversions, applied to the decoded raster samples directly (no colour management, so the
 * result does not depend on the JVM's colour profiles):
 *
 * <ul>
 *   <li>Sample depths other than 8 bits are scaled to 8 bits as {@code round(v * 255 / max)}, half
 *       up, where {@code max = 2^bits - 1} (16-bit: {@code (v * 255 + 32767) / 65535}).
 *   <li>Alpha is <b>composited on white</b> after scaling to 8 bits: {@code c' = round((c * a + 255
 *       * (255 - a)) / 255)}. Gray+alpha stays gray; RGBA becomes RGB.
 *   <li>Palette images are looked up in their palette (with its alpha); a palette whose entries are
 *       all gray gives a 1-channel image.
 *   <li>Any other colour model (e.g. CMYK JPEG) goes through {@link BufferedImage#getRGB}.
 * </ul>
 *
 * <p>Dimensions are read from the header ({@link ImageReader#getWidth}) and checked against {@link
 * #MAX_SIDE} and {@link #MAX_PIXELS} before any pixel is decoded.
 */
public final class ImageDecoder {
  /** Largest accepted width or height. */
  public static final int MAX_SIDE = 16384;

  /** Largest accepted pixel count (64 Mpixel). */
  public static final long MAX_PIXELS = 64L * 1024 * 1024;

  private static final byte[] PNG_SIG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

  static {
    ImageIO.setUseCache(false);
  }

  private ImageDecoder() {}

  /** A decoded image: CHW uint8 pixels. */
  public record Decoded(int height, int width, int channels, byte[] pixels) {}

  /** Decodes {@code bytes}, or throws naming why it is unusable. */
  public static Decoded decode(byte[] bytes) throws BadInputException {
    if (bytes.length == 0) {
      throw new BadInputException(DeadLetterReason.ZERO_BYTE, "file is empty");
    }
    String format = sniff(bytes);
    if (format == null) {
      throw new BadInputException(DeadLetterReason.NOT_AN_IMAGE, "no known image signature");
    }
    if (!format.equals("png") && !format.equals("jpeg")) {
      throw new BadInputException(
          DeadLetterReason.UNSUPPORTED_FORMAT,
          format.toUpperCase() + " images are not supported (PNG and JPEG are)");
    }
    boolean truncated = isTruncated(format, bytes);
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
    if (!readers.hasNext()) {
      throw new BadInputException(
          DeadLetterReason.UNSUPPORTED_FORMAT, "no ImageIO reader for " + format);
    }
    ImageReader reader = readers.next();
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      reader.setInput(in, true, true);
      int w;
      int h;
      try {
        w = reader.getWidth(0);
        h = reader.getHeight(0);
      } catch (IOException | RuntimeException e) {
        throw new BadInputException(
            truncated ? DeadLetterReason.TRUNCATED : DeadLetterReason.CORRUPT,
            (truncated ? "truncated " : "unreadable ") + format + " header: " + e.getMessage(),
            e);
      }
      if (w <= 0 || h <= 0 || w > MAX_SIDE || h > MAX_SIDE || (long) w * h > MAX_PIXELS) {
        throw new BadInputException(
            DeadLetterReason.ABSURD_DIMENSIONS,
            "declared size " + w + "x" + h + " exceeds " + MAX_SIDE + " per side or 64 Mpixel");
      }
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener((src, warning) -> warnings.add(warning));
      BufferedImage image;
      try {
        image = reader.read(0);
      } catch (IOException | RuntimeException e) {
        throw new BadInputException(
            truncated ? DeadLetterReason.TRUNCATED : DeadLetterReason.CORRUPT,
            (truncated ? "truncated " : "undecodable ") + format + " data: " + e.getMessage(),
            e);
      }
      if (truncated) {
        throw new BadInputException(
            DeadLetterReason.TRUNCATED, format + " ends before its end marker");
      }
      for (String warning : warnings) {
        if (warning.toLowerCase().contains("premature end")) {
          throw new BadInputException(DeadLetterReason.TRUNCATED, warning);
        }
      }
      return toPlanes(image);
    } catch (IOException e) {
      throw new BadInputException(DeadLetterReason.READ_ERROR, e.getMessage(), e);
    } finally {
      reader.dispose();
    }
  }

  /** The image format named by the leading bytes, or null when none is recognised. */
  static String sniff(byte[] b) {
    if (startsWith(b, PNG_SIG)) {
      return "png";
    }
    if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
      return "jpeg";
    }
    if (startsWith(b, "GIF8".getBytes())) {
      return "gif";
    }
    if (startsWith(b, "BM".getBytes()) && b.length >= 14) {
      return "bmp";
    }
    if (startsWith(b, new byte[] {'I', 'I', 42, 0})
        || startsWith(b, new byte[] {'M', 'M', 0, 42})) {
      return "tiff";
    }
    if (startsWith(b, "RIFF".getBytes()) && b.length >= 12 && b[8] == 'W' && b[9] == 'E') {
      return "webp";
    }
    if (b.length >= 12 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
      return "heif/avif";
    }
    if (startsWith(b, new byte[] {0, 0, 1, 0}) && b.length >= 6) {
      return "ico";
    }
    if (startsWith(b, new byte[] {(byte) 0xFF, 0x0A})
        || startsWith(b, new byte[] {0, 0, 0, 0x0C, 'J', 'X', 'L', ' '})) {
      return "jpeg-xl";
    }
    if (startsWith(b, new byte[] {0, 0, 0, 0x0C, 'j', 'P', ' ', ' '})) {
      return "jpeg-2000";
    }
    if (startsWith(b, "8BPS".getBytes())) {
      return "psd";
    }
    if (b.length >= 2 && b[0] == 'P' && b[1] >= '1' && b[1] <= '7') {
      return "pnm";
    }
    return null;
  }

  private static boolean startsWith(byte[] b, byte[] prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the container structure ends early: a PNG chunk or a JPEG segment that runs past the
   * end of the data, or no IEND chunk / EOI marker before the end. Garbage (an invalid chunk type
   * or marker) is not truncation.
   */
  static boolean isTruncated(String format, byte[] b) {
    return format.equals("png") ? pngTruncated(b) : jpegTruncated(b);
  }

  private static boolean pngTruncated(byte[] b) {
    int pos = 8;
    boolean first = true;
    while (pos + 8 <= b.length) {
      long len =
          ((b[pos] & 0xFFL) << 24)
              | ((b[pos + 1] & 0xFF) << 16)
              | ((b[pos + 2] & 0xFF) << 8)
              | (b[pos + 3] & 0xFF);
      for (int i = 4; i < 8; i++) {
        if (!Character.isLetter((char) (b[pos + i] & 0xFF))) {
          return false; // garbage, not truncation
        }
      }
      boolean iend =
          b[pos + 4] == 'I' && b[pos + 5] == 'E' && b[pos + 6] == 'N' && b[pos + 7] == 'D';
      if (first && !(b[pos + 4] == 'I' && b[pos + 5] == 'H' && len == 13)) {
        return false;
      }
      first = false;
      if (pos + 12 + len > b.length) {
        return true;
      }
      if (iend) {
        return false;
      }
      pos += 12 + (int) len;
    }
    return true;
  }

  private static boolean jpegTruncated(byte[] b) {
    int pos = 2;
    while (true) {
      if (pos + 1 >= b.length) {
        return true;
      }
      if ((b[pos] & 0xFF) != 0xFF) {
        return false; // garbage between segments
      }
      int marker = b[pos + 1] & 0xFF;
      if (marker == 0xFF) {
        pos++;
        continue;
      }
      if (marker == 0xD9) {
        return false;
      }
      if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
        pos += 2;
        continue;
      }
      if (marker < 0xC0 || marker == 0xD8) {
        return false; // not a segment marker
      }
      if (pos + 3 >= b.length) {
        return true;
      }
      int len = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
      if (len < 2) {
        return false;
      }
      if (pos + 2 + len > b.length) {
        return true;
      }
      pos += 2 + len;
      if (marker == 0xDA) {
        // Entropy-coded data runs to the next marker that is not a stuffed 00 or a restart.
        while (true) {
          if (pos + 1 >= b.length) {
            return true;
          }
          if ((b[pos] & 0xFF) == 0xFF) {
            int m = b[pos + 1] & 0xFF;
            if (m != 0x00 && !(m >= 0xD0 && m <= 0xD7) && m != 0xFF) {
              break;
            }
          }
          pos++;
        }
      }
    }
  }

  /** Converts a decoded image to 1 or 3 uint8 planes, alpha composited on white. */
  static Decoded toPlanes(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int n = w * h;
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    if (cm instanceof IndexColorModel icm) {
      int size = icm.getMapSize();
      boolean gray = true;
      int[] r = new int[size];
      int[] g = new int[size];
      int[] b = new int[size];
      for (int i = 0; i < size; i++) {
        int a = icm.getAlpha(i);
        r[i] = over(icm.getRed(i), a);
        g[i] = over(icm.getGreen(i), a);
        b[i] = over(icm.getBlue(i), a);
        gray &= r[i] == g[i] && g[i] == b[i];
      }
      int[] idx = raster.getSamples(0, 0, w, h, 0, new int[n]);
      byte[] out = new byte[(gray ? 1 : 3) * n];
      for (int i = 0; i < n; i++) {
        int k = idx[i];
        out[i] = (byte) r[k];
        if (!gray) {
          out[n + i] = (byte) g[k];
          out[2 * n + i] = (byte) b[k];
        }
      }
      return new Decoded(h, w, gray ? 1 : 3, out);
    }
    if (cm instanceof ComponentColorModel
        && !cm.isAlphaPremultiplied()
        && (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
            || cm.getColorSpace().getType() == ColorSpace.TYPE_RGB)
        && raster.getNumBands() == cm.getNumComponents()) {
      int colors = cm.getNumColorComponents();
      int[][] planes = new int[colors][];
      for (int c = 0; c < colors; c++) {
        planes[c] = to8(raster.getSamples(0, 0, w, h, c, new int[n]), cm.getComponentSize(c));
      }
      if (cm.hasAlpha()) {
        int[] alpha =
            to8(raster.getSamples(0, 0, w, h, colors, new int[n]), cm.getComponentSize(colors));
        for (int[] plane : planes) {
          for (int i = 0; i < n; i++) {
            plane[i] = over(plane[i], alpha[i]);
          }
        }
      }
      byte[] out = new byte[colors * n];
      for (int c = 0; c < colors; c++) {
        for (int i = 0; i < n; i++) {
          out[c * n + i] = (byte) planes[c][i];
        }
      }
      return new Decoded(h, w, colors, out);
    }
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    byte[] out = new byte[3 * n];
    for (int i = 0; i < n; i++) {
      int p = argb[i];
      int a = p >>> 24;
      out[i] = (byte) over((p >> 16) & 0xFF, a);
      out[n + i] = (byte) over((p >> 8) & 0xFF, a);
      out[2 * n + i] = (byte) over(p & 0xFF, a);
    }
    return new Decoded(h, w, 3, out);
  }

  /** Scales samples of {@code bits} bits to 8 bits, rounding half up. */
  static int[] to8(int[] v, int bits) {
    if (bits == 8) {
      return v;
    }
    long max = (1L << bits) - 1;
    for (int i = 0; i < v.length; i++) {
      v[i] = (int) ((v[i] * 255L + max / 2) / max);
    }
    return v;
  }

  /** Composites an 8-bit value with 8-bit alpha over white, rounding half up. */
  static int over(int c, int a) {
    if (a == 255) {
      return c;
    }
    return (c * a + 255 * (255 - a) + 127) / 255;
  }
}
