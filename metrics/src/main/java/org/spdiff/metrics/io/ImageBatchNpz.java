package org.spdiff.metrics.io;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.spdiff.metrics.ImageSource;

/**
 * An {@code .npz} image batch as guided-diffusion's {@code image_sample.py}, EDM's {@code
 * generate.py --batch} / {@code fid.py} and the ADM evaluator ({@code evaluator.py}) write and read
 * it: {@code arr_0}, uint8, (N, H, W, C) with C = 3 or 1 (or (N, H, W) for grayscale), numpy's
 * {@code savez} or {@code savez_compressed}. Read a batch at a time straight from the archive, HWC
 * turned into CHW.
 */
public final class ImageBatchNpz implements ImageSource {
  /** The array name numpy gives the first positional argument of {@code savez}. */
  public static final String ARRAY = "arr_0";

  private final Path file;
  private final ZipFile zip;
  private final DataInputStream in;
  private final long count;
  private final int height;
  private final int width;
  private final int channels;
  private long read;

  private ImageBatchNpz(
      Path file, ZipFile zip, DataInputStream in, long count, int height, int width, int channels) {
    this.file = file;
    this.zip = zip;
    this.in = in;
    this.count = count;
    this.height = height;
    this.width = width;
    this.channels = channels;
  }

  /** Whether the archive holds {@value #ARRAY} (an image batch rather than mu/sigma statistics). */
  public static boolean isImageBatch(Path file) throws IOException {
    try (ZipFile z = zip(file)) {
      return z.getEntry(ARRAY + ".npy") != null;
    }
  }

  /**
   * Opens the batch and checks its header.
   *
   * @throws IllegalArgumentException naming the file if {@code arr_0} is missing, not uint8, not
   *     C-ordered, or not (N, H, W[, C]) with C in {1, 3}
   */
  public static ImageBatchNpz open(Path file) throws IOException {
    ZipFile z = zip(file);
    try {
      ZipEntry e = z.getEntry(ARRAY + ".npy");
      if (e == null) {
        throw new IllegalArgumentException(
            file + ": no '" + ARRAY + "' array (not an image batch)");
      }
      DataInputStream in =
          new DataInputStream(new BufferedInputStream(z.getInputStream(e), 1 << 16));
      String header = header(in, file);
      String descr = field(header, "descr", file);
      if (!descr.equals("'|u1'") && !descr.equals("'<u1'") && !descr.equals("'>u1'")) {
        throw new IllegalArgumentException(
            file + ": " + ARRAY + " has dtype " + descr + ", expected uint8 ('|u1') images");
      }
      if (!field(header, "fortran_order", file).equals("False")) {
        throw new IllegalArgumentException(file + ": " + ARRAY + " is Fortran-ordered");
      }
      long[] shape = shape(field(header, "shape", file));
      if (shape.length == 3) {
        shape = new long[] {shape[0], shape[1], shape[2], 1};
      }
      if (shape.length != 4 || (shape[3] != 1 && shape[3] != 3) || shape[1] < 1 || shape[2] < 1) {
        throw new IllegalArgumentException(
            file
                + ": "
                + ARRAY
                + " has shape "
                + Arrays.toString(shape)
                + ", expected (N, H, W, C) with C = 1 or 3");
      }
      return new ImageBatchNpz(
          file, z, in, shape[0], (int) shape[1], (int) shape[2], (int) shape[3]);
    } catch (IOException | RuntimeException ex) {
      z.close();
      throw ex;
    }
  }

  /** Images in the batch. */
  public long count() {
    return count;
  }

  @Override
  public Batch next(int max) throws IOException {
    int n = (int) Math.min(max, count - read);
    int plane = height * width;
    byte[] hwc = new byte[plane * channels];
    byte[][] out = new byte[n][];
    for (int i = 0; i < n; i++) {
      try {
        in.readFully(hwc);
      } catch (EOFException e) {
        throw new IOException(
            file + ": truncated after " + (read + i) + " of " + count + " images");
      }
      byte[] chw = new byte[hwc.length];
      for (int p = 0; p < plane; p++) {
        for (int c = 0; c < channels; c++) {
          chw[c * plane + p] = hwc[p * channels + c];
        }
      }
      out[i] = chw;
    }
    read += n;
    return new Batch(out, channels, height, width);
  }

  @Override
  public void close() throws IOException {
    in.close();
    zip.close();
  }

  private static ZipFile zip(Path file) throws IOException {
    try {
      return new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new IOException(file + ": not an .npz (zip) archive: " + e.getMessage(), e);
    }
  }

  /** numpy's {@code .npy} header dict (format 1.0, 2.0 or 3.0). */
  static String header(DataInputStream in, Path file) throws IOException {
    byte[] magic = new byte[8];
    in.readFully(magic);
    if ((magic[0] & 0xFF) != 0x93
        || !new String(magic, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
      throw new IllegalArgumentException(file + ": " + ARRAY + ".npy is not in numpy's format");
    }
    int major = magic[6];
    long len;
    if (major == 1) {
      len = (in.readUnsignedByte()) | (in.readUnsignedByte() << 8);
    } else {
      len = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
    }
    byte[] h = new byte[Math.toIntExact(len)];
    in.readFully(h);
    return new String(h, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
  }

  private static String field(String header, String key, Path file) {
    int i = header.indexOf("'" + key + "'");
    if (i < 0) {
      throw new IllegalArgumentException(file + ": npy header lacks '" + key + "': " + header);
    }
    int colon = header.indexOf(':', i);
    int end;
    if (key.equals("shape")) {
      end = header.indexOf(')', colon) + 1;
    } else {
      end = header.indexOf(',', colon);
    }
    return header.substring(colon + 1, end).trim();
  }

  private static long[] shape(String tuple) {
    String inner = tuple.replace("(", "").replace(")", "").trim();
    if (inner.isEmpty()) {
      return new long[0];
    }
    return Arrays.stream(inner.split(","))
        .map(String::trim)
        .filter(t -> !t.isEmpty())
        .mapToLong(Long::parseLong)
        .toArray();
  }
}
