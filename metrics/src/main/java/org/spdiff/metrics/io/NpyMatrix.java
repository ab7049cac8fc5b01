package org.spdiff.metrics.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.spdiff.metrics.stats.FeatureMatrix;

/**
 * Reads and writes 2-D float matrices in numpy's {@code .npy} format (format versions 1.0, 2.0 and
 * 3.0, as {@code np.save} writes them): feature matrices (N, d) and logits (N, C) that users bring
 * from other tools.
 *
 * <p>Reads dtypes {@code <f4}, {@code >f4}, {@code <f8}, {@code >f8} (float32 widened exactly to
 * float64), C or Fortran order. Anything else (other dtypes, 1-D or 3-D arrays, truncated data,
 * NaN/inf values) fails with an {@link IllegalArgumentException} whose message names the file and
 * the problem. Writes version 1.0, C order, little-endian float64 ({@link #write}) or float32
 * ({@link #writeFloat32}). Pure Java: no engine is started.
 */
public final class NpyMatrix {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private NpyMatrix() {}

  /**
   * The parsed header of a {@code .npy} file.
   *
   * @param dtype numpy's type string, e.g. {@code <f4}
   * @param fortranOrder true if the data are column-major
   * @param shape the array shape
   * @param dataOffset byte offset of the first value
   */
  public record Header(String dtype, boolean fortranOrder, long[] shape, int dataOffset) {
    /** The shape as numpy prints it, e.g. {@code (50,)} or {@code (50, 5)}. */
    public String shapeText() {
      return NpyMatrix.shapeText(shape);
    }
  }

  /**
   * Reads an (N, d) float32 or float64 matrix.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException naming the file if it is not a 2-D float matrix in npy format
   */
  public static FeatureMatrix read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Header h = header(bytes, file);
    if (h.shape().length != 2) {
      throw new IllegalArgumentException(
          file + ": array has shape " + shapeText(h.shape()) + ", expected a 2-D (N, d) matrix");
    }
    long n = h.shape()[0];
    long d = h.shape()[1];
    if (n < 1 || d < 1) {
      throw new IllegalArgumentException(
          file + ": array has shape " + shapeText(h.shape()) + ", expected N >= 1 and d >= 1");
    }
    int size;
    ByteOrder order;
    switch (h.dtype()) {
      case "<f4" -> {
        size = 4;
        order = ByteOrder.LITTLE_ENDIAN;
      }
      case ">f4" -> {
        size = 4;
        order = ByteOrder.BIG_ENDIAN;
      }
      case "<f8" -> {
        size = 8;
        order = ByteOrder.LITTLE_ENDIAN;
      }
      case ">f8" -> {
        size = 8;
        order = ByteOrder.BIG_ENDIAN;
      }
      default ->
          throw new IllegalArgumentException(
              file
                  + ": dtype '"
                  + h.dtype()
                  + "' is not supported, expected float32 or float64 (<f4, <f8)");
    }
    long count = n * d;
    if (count > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          file + ": " + count + " values are too many for one array");
    }
    long need = count * size;
    long have = bytes.length - (long) h.dataOffset();
    if (have < need) {
      throw new IllegalArgumentException(
          file
              + ": truncated: shape "
              + shapeText(h.shape())
              + " needs "
              + need
              + " data bytes, has "
              + have);
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes, h.dataOffset(), (int) need).order(order);
    int rows = (int) n;
    int cols = (int) d;
    double[] out = new double[(int) count];
    for (int k = 0; k < count; k++) {
      double v = size == 4 ? buf.getFloat() : buf.getDouble();
      // Fortran order stores column j contiguously: element (i, j) is the (j * n + i)-th value.
      int idx = h.fortranOrder() ? (k % rows) * cols + k / rows : k;
      out[idx] = v;
    }
    try {
      return FeatureMatrix.of(out, rows, cols);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Reads only the header (shape and dtype) of a {@code .npy} file. */
  public static Header readHeader(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(12);
      if (head.length < 10) {
        throw new IllegalArgumentException(file + ": not a numpy .npy file (too short)");
      }
      int major = head[6] & 0xff;
      int len =
          major == 1
              ? (head[8] & 0xff) | (head[9] & 0xff) << 8
              : head.length < 12
                  ? 0
                  : ByteBuffer.wrap(head, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      byte[] rest = in.readNBytes(Math.max(0, Math.min(len, 1 << 20)));
      byte[] all = new byte[head.length + rest.length];
      System.arraycopy(head, 0, all, 0, head.length);
      System.arraycopy(rest, 0, all, head.length, rest.length);
      return header(all, file);
    }
  }

  private static Header header(byte[] b, Path file) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (b.length <= i || b[i] != MAGIC[i]) {
        throw new IllegalArgumentException(file + ": not a numpy .npy file (bad magic)");
      }
    }
    if (b.length < 10) {
      throw new IllegalArgumentException(file + ": not a numpy .npy file (too short)");
    }
    int major = b[6] & 0xff;
    int headerLen;
    int start;
    if (major == 1) {
      headerLen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
      start = 10;
    } else if (major == 2 || major == 3) {
      if (b.length < 12) {
        throw new IllegalArgumentException(file + ": not a numpy .npy file (too short)");
      }
      headerLen = ByteBuffer.wrap(b, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      start = 12;
    } else {
      throw new IllegalArgumentException(file + ": unsupported .npy format version " + major);
    }
    if (headerLen < 0 || start + (long) headerLen > b.length) {
      throw new IllegalArgumentException(file + ": truncated .npy header");
    }
    String text =
        new String(
            b, start, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Matcher descr = DESCR.matcher(text);
    Matcher fortran = FORTRAN.matcher(text);
    Matcher shape = SHAPE.matcher(text);
    if (!descr.find() || !fortran.find() || !shape.find()) {
      throw new IllegalArgumentException(file + ": unreadable .npy header: " + text.trim());
    }
    String[] parts = shape.group(1).split(",");
    long[] dims = new long[parts.length];
    int count = 0;
    for (String p : parts) {
      String t = p.trim();
      if (t.isEmpty()) {
        continue;
      }
      try {
        dims[count++] = Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(file + ": bad shape in .npy header: " + shape.group(0));
      }
    }
    return new Header(
        descr.group(1),
        fortran.group(1).equals("True"),
        java.util.Arrays.copyOf(dims, count),
        start + headerLen);
  }

  /** Writes a float64 (N, d) matrix, C order (numpy reads it with {@code np.load}). */
  public static void write(Path file, FeatureMatrix m) throws IOException {
    int d = m.dim();
    writeRows(
        file,
        "<f8",
        m.rows(),
        d,
        8,
        (i, row) -> {
          for (int j = 0; j < d; j++) {
            row.putDouble(m.get(i, j));
          }
        });
  }

  /**
   * Writes a float32 (N, d) matrix, C order, streamed a row at a time (an Inception feature matrix
   * of 50k images is 400 MB).
   *
   * @throws IllegalArgumentException naming the row if the rows are ragged (nothing is written)
   */
  public static void writeFloat32(Path file, float[][] rows) throws IOException {
    int n = rows.length;
    int d = n == 0 ? 0 : rows[0].length;
    for (int i = 0; i < n; i++) {
      if (rows[i].length != d) {
        throw new IllegalArgumentException(
            "ragged rows: row " + i + " has " + rows[i].length + " values, row 0 has " + d);
      }
    }
    writeRows(file, "<f4", n, d, 4, (i, row) -> row.asFloatBuffer().put(rows[i]));
  }

  /** Fills one row's little-endian bytes. */
  private interface RowFiller {
    void fill(int i, ByteBuffer row);
  }

  private static void writeRows(Path file, String dtype, int n, int d, int width, RowFiller rows)
      throws IOException {
    String dict =
        "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (" + n + ", " + d + "), }";
    // numpy pads the header with spaces so that magic + length + header is a multiple of 64.
    int total = MAGIC.length + 4 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      out.write(MAGIC);
      out.write(new byte[] {1, 0});
      int len = header.length();
      out.write(new byte[] {(byte) (len & 0xff), (byte) (len >>> 8)});
      out.write(header.getBytes(StandardCharsets.ISO_8859_1));
      ByteBuffer row = ByteBuffer.allocate(d * width).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n; i++) {
        row.clear();
        rows.fill(i, row);
        out.write(row.array());
      }
    }
  }

  private static String shapeText(long[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(shape[i]);
      if (shape.length == 1 || i < shape.length - 1) {
        sb.append(shape.length == 1 ? "," : ", ");
      }
    }
    return sb.append(")").toString();
  }
}
