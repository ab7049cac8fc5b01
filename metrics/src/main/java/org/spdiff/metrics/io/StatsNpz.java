package org.spdiff.metrics.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** Writes {@code mu} and {@code sigma} as float64 into an (uncompressed) npz file. */
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
    try (NDManager manager = NDManager.newBaseManager();
        OutputStream out = Files.newOutputStream(file)) {
      NDArray mu = manager.create(moments.mu().clone(), new Shape(d));
      mu.setName(MU);
      NDArray sigma = manager.create(s, new Shape(d, d));
      sigma.setName(SIGMA);
      new NDList(mu, sigma).encode(out, NDList.Encoding.NPZ);
    }
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
