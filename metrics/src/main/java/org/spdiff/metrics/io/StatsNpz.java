package org.spdiff.metrics.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.spdiff.metrics.stats.FeatureMoments;

/**
 * Reads and writes feature statistics in pytorch-fid's {@code .npz} format: an npz archive holding
 * {@code mu} (d,) and {@code sigma} (d, d), float64 (the files pytorch-fid, TTUR and clean-fid
 * exchange). Reads numpy's {@code savez} and {@code savez_compressed}; other arrays in the file are
 * ignored; float32 arrays are widened. Encoding and decoding go through DJL's {@link NDList} codec.
 */
public final class StatsNpz {
  /** Key of the mean. */
  public static final String MU = "mu";

  /** Key of the covariance. */
  public static final String SIGMA = "sigma";

  private StatsNpz() {}

  /**
   * Reads {@code mu} and {@code sigma}.
   *
   * @throws IOException if the file cannot be read or decoded
   * @throws IllegalArgumentException naming the key and file if a key is missing or has the wrong
   *     shape
   */
  public static FeatureMoments read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file);
        NDManager manager = NDManager.newBaseManager()) {
      NDList list;
      try {
        list = NDList.decode(manager, in);
      } catch (RuntimeException e) {
        throw new IOException("cannot decode " + file + " as npz: " + e.getMessage(), e);
      }
      NDArray mu = find(list, MU, file);
      NDArray sigma = find(list, SIGMA, file);
      if (mu.getShape().dimension() != 1) {
        throw new IllegalArgumentException(
            "key '" + MU + "' in " + file + " has shape " + mu.getShape() + ", expected (d,)");
      }
      int d = (int) mu.getShape().get(0);
      if (!sigma.getShape().equals(new Shape(d, d))) {
        throw new IllegalArgumentException(
            "key '"
                + SIGMA
                + "' in "
                + file
                + " has shape "
                + sigma.getShape()
                + ", expected ("
                + d
                + ", "
                + d
                + ") to match '"
                + MU
                + "'");
      }
      double[] m = mu.toType(DataType.FLOAT64, false).toDoubleArray();
      double[] s = sigma.toType(DataType.FLOAT64, false).toDoubleArray();
      double[][] rows = new double[d][d];
      for (int i = 0; i < d; i++) {
        System.arraycopy(s, i * d, rows[i], 0, d);
      }
      return new FeatureMoments(m, rows);
    }
  }

  /**
   * Writes {@code mu} and {@code sigma} as float64 into an (uncompressed) npz file, byte for byte
   * the same for the same moments (fixed entry times).
   */
  public static void write(Path file, FeatureMoments moments) throws IOException {
    int d = moments.dim();
    double[] s = new double[d * d];
    for (int i = 0; i < d; i++) {
      System.arraycopy(moments.sigma()[i], 0, s, i * d, d);
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    ByteArrayOutputStream encoded = new ByteArrayOutputStream();
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray mu = manager.create(moments.mu().clone(), new Shape(d));
      mu.setName(MU);
      NDArray sigma = manager.create(s, new Shape(d, d));
      sigma.setName(SIGMA);
      new NDList(mu, sigma).encode(encoded, NDList.Encoding.NPZ);
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(reproducible(encoded.toByteArray()));
    }
  }

  /**
   * The DOS time of every entry of a written archive (1980-01-01 itself is stored as an extra
   * field).
   */
  static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 2, 1, 0, 0);

  /**
   * The same archive with every entry's time set to {@link #ENTRY_TIME} and no extra fields, so
   * equal statistics give byte-equal files (and equal SHA-256 in the artifact store).
   */
  static byte[] reproducible(byte[] zip) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(zip.length);
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip));
        ZipOutputStream z = new ZipOutputStream(out)) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        byte[] data = in.readAllBytes();
        ZipEntry copy = new ZipEntry(e.getName());
        copy.setTimeLocal(ENTRY_TIME);
        copy.setMethod(ZipEntry.STORED);
        copy.setSize(data.length);
        copy.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        copy.setCrc(crc.getValue());
        z.putNextEntry(copy);
        z.write(data);
        z.closeEntry();
      }
    }
    return out.toByteArray();
  }

  private static NDArray find(NDList list, String key, Path file) {
    for (NDArray a : list) {
      if (key.equals(a.getName())) {
        return a;
      }
    }
    throw new IllegalArgumentException("key '" + key + "' missing in " + file);
  }
}
