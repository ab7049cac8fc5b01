package org.spdiff.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Arrays from the .npz fixtures written by fixtures/make_fixtures.py (numpy/scipy). */
public final class Fixtures {
  private final Map<String, double[]> data = new HashMap<>();
  private final Map<String, long[]> shapes = new HashMap<>();

  private Fixtures() {}

  /** Loads a fixture from the test resources. */
  public static Fixtures load(String name) {
    Fixtures f = new Fixtures();
    try (InputStream in = Fixtures.class.getResourceAsStream("fixtures/" + name);
        NDManager m = NDManager.newBaseManager()) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      for (NDArray a : NDList.decode(m, in)) {
        f.data.put(a.getName(), a.toType(DataType.FLOAT64, false).toDoubleArray());
        f.shapes.put(a.getName(), a.getShape().getShape());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return f;
  }

  /** Path of a fixture file. */
  public static Path path(String name) {
    try {
      return Path.of(Fixtures.class.getResource("fixtures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The array's shape as numpy saved it. */
  public long[] shape(String key) {
    vector(key);
    return shapes.get(key);
  }

  public double scalar(String key) {
    return vector(key)[0];
  }

  public double[] vector(String key) {
    double[] v = data.get(key);
    if (v == null) {
      throw new IllegalArgumentException("no key " + key + " in fixture; have " + data.keySet());
    }
    return v;
  }

  public double[][] matrix(String key) {
    double[] v = vector(key);
    long[] s = shapes.get(key);
    int rows = (int) s[0];
    int cols = (int) s[1];
    double[][] out = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(v, i * cols, out[i], 0, cols);
    }
    return out;
  }
}
