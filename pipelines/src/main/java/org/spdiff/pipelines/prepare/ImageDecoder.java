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
    return decode(bytes, "");
  }

  /** Image-like file name extensions this decoder does not read. */
  private static final java.util.Set<String> UNSUPPORTED_EXTENSIONS =
      java.util.Set.of(
          "gif", "bmp", "dib", "tif", "tiff", "webp", "heic", "heif", "avif", "ico", "svg", "psd",
          "jp2", "j2k", "jxl", "pnm", "pgm", "ppm", "pbm", "tga", "exr", "hdr", "dng", "raw", "cr2",
          "nef", "xcf");

  /**
   * Decodes {@code bytes} read from a file called {@code name} (used only to classify bytes with no
   * image signature: an unsupported image extension gives {@code unsupported-format}; a {@code
   * .png}/{@code .jpg}/{@code .jpeg} name on binary data gives {@code corrupt}; anything else,
   * including text under any name, gives {@code not-an-image}).
   */
  public static Decoded decode(byte[] bytes, String name) throws BadInputException {
    if (bytes.length == 0) {
      throw new BadInputException(DeadLetterReason.ZERO_BYTE, "file is empty");
    }
    String format = sniff(bytes);
    if (format == null) {
      throw unrecognised(bytes, name);
    }
    if (!format.equals("png") && !format.equals("jpeg")) {
      throw new BadInputException(
          DeadLetterReason.UNSUPPORTED_FORMAT,
          format.toUpperCase() + " images are not supported (PNG and JPEG are)");
    }
    Structure structure = structure(format, bytes);
    boolean truncated = structure == Structure.TRUNCATED;
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
      if (structure == Structure.GARBAGE) {
        throw new BadInputException(
            DeadLetterReason.CORRUPT, "malformed " + format + " chunk/segment structure");
      }
      if (format.equals("png")) {
        String crc = pngCrcProblem(bytes);
        if (crc != null) {
          throw new BadInputException(DeadLetterReason.CORRUPT, crc);
        }
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
        if (warning.toLowerCase().contains("corrupt")) {
          throw new BadInputException(DeadLetterReason.CORRUPT, warning);
        }
      }
      return toPlanes(image);
    } catch (IOException e) {
      throw new BadInputException(DeadLetterReason.READ_ERROR, e.getMessage(), e);
    } finally {
      reader.dispose();
    }
  }

  private static BadInputException unrecognised(byte[] bytes, String name) {
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
    if (UNSUPPORTED_EXTENSIONS.contains(ext)) {
      return new BadInputException(
          DeadLetterReason.UNSUPPORTED_FORMAT,
          "." + ext + " images are not supported (PNG and JPEG are)");
    }
    if (!looksLikeText(bytes) && (ext.equals("png") || ext.equals("jpg") || ext.equals("jpeg"))) {
      return new BadInputException(
          DeadLetterReason.CORRUPT, "named ." + ext + " but has no " + ext + " signature");
    }
    return new BadInputException(DeadLetterReason.NOT_AN_IMAGE, "no known image signature");
  }

  /** At least 90% of the first 512 bytes are printable ASCII, tabs or line breaks (or UTF-8). */
  static boolean looksLikeText(byte[] b) {
    int n = Math.min(b.length, 512);
    int printable = 0;
    for (int i = 0; i < n; i++) {
      int c = b[i] & 0xFF;
      if ((c >= 0x20 && c < 0x7F) || c == '\n' || c == '\r' || c == '\t' || c >= 0xC2) {
        printable++;
      }
    }
    return n > 0 && printable * 10 >= n * 9;
  }

  /** The first PNG chunk whose CRC does not match, as a message, or null. */
  static String pngCrcProblem(byte[] b) {
    int pos = 8;
    while (pos + 12 <= b.length) {
      long len =
          ((b[pos] & 0xFFL) << 24)
              | ((b[pos + 1] & 0xFF) << 16)
              | ((b[pos + 2] & 0xFF) << 8)
              | (b[pos + 3] & 0xFF);
      if (pos + 12 + len > b.length) {
        return null;
      }
      java.util.zip.CRC32 crc = new java.util.zip.CRC32();
      crc.update(b, pos + 4, 4 + (int) len);
      int at = pos + 8 + (int) len;
      long stored =
          ((b[at] & 0xFFL) << 24)
              | ((b[at + 1] & 0xFF) << 16)
              | ((b[at + 2] & 0xFF) << 8)
              | (b[at + 3] & 0xFF);
      if (crc.getValue() != stored) {
        return "PNG chunk "
            + new String(b, pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1)
            + " at byte "
            + pos
            + " fails its CRC";
      }
      pos += 12 + (int) len;
    }
    return null;
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

  /** What a walk over the container's chunks (PNG) or segments (JPEG) finds. */
  enum Structure {
    /** Ends with IEND / EOI, every chunk or segment inside the data. */
    COMPLETE,
    /** A chunk or segment runs past the end, or the end marker is missing. */
    TRUNCATED,
    /** Bytes that are not a chunk / marker where one must be. */
    GARBAGE
  }

  /** Walks the container structure of a PNG or JPEG. */
  static Structure structure(String format, byte[] b) {
    return format.equals("png") ? png(b) : jpeg(b);
  }

  private static Structure png(byte[] b) {
    int pos = 8;
    boolean first = true;
    while (pos + 8 <= b.length) {
      long len =
          ((b[pos] & 0xFFL) << 24)
              | ((b[pos + 1] & 0xFF) << 16)
              | ((b[pos + 2] & 0xFF) << 8)
              | (b[pos + 3] & 0xFF);
      for (int i = 4; i < 8; i++) {
        int c = (b[pos + i] & 0xFF) | 0x20;
        if (c < 'a' || c > 'z') {
          return Structure.GARBAGE; // garbage, not truncation
        }
      }
      boolean iend =
          b[pos + 4] == 'I' && b[pos + 5] == 'E' && b[pos + 6] == 'N' && b[pos + 7] == 'D';
      if (first && !(b[pos + 4] == 'I' && b[pos + 5] == 'H' && len == 13)) {
        return Structure.GARBAGE;
      }
      first = false;
      if (pos + 12 + len > b.length) {
        return Structure.TRUNCATED;
      }
      if (iend) {
        return Structure.COMPLETE;
      }
      pos += 12 + (int) len;
    }
    return Structure.TRUNCATED;
  }

  private static Structure jpeg(byte[] b) {
    int pos = 2;
    while (true) {
      if (pos + 1 >= b.length) {
        return Structure.TRUNCATED;
      }
      if ((b[pos] & 0xFF) != 0xFF) {
        return Structure.GARBAGE; // garbage between segments
      }
      int marker = b[pos + 1] & 0xFF;
      if (marker == 0xFF) {
        pos++;
        continue;
      }
      if (marker == 0xD9) {
        return Structure.COMPLETE;
      }
      if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
        pos += 2;
        continue;
      }
      if (marker < 0xC0 || marker == 0xD8) {
        return Structure.GARBAGE; // not a segment marker
      }
      if (pos + 3 >= b.length) {
        return Structure.TRUNCATED;
      }
      int len = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
      if (len < 2) {
        return Structure.GARBAGE;
      }
      if (pos + 2 + len > b.length) {
        return Structure.TRUNCATED;
      }
      pos += 2 + len;
      if (marker == 0xDA) {
        // Entropy-coded data runs to the next marker that is not a stuffed 00 or a restart.
        while (true) {
          if (pos + 1 >= b.length) {
            return Structure.TRUNCATED;
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
  public static Decoded toPlanes(BufferedImage image) {
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
