package org.spdiff.metrics.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.metrics.Fixtures;
import org.spdiff.metrics.stats.FeatureMatrix;

/** NpyMatrix against files written by numpy (fixtures/npy/make_npy_fixtures.py). */
class NpyMatrixTest {
  @TempDir Path dir;

  @Test
  void readsWhatNumpyWrites() throws Exception {
    Fixtures expected = Fixtures.load("npy/expected.npz");
    for (String name : new String[] {"f4", "f8", "f8_fortran", "f8_big_endian", "f4_v2"}) {
      FeatureMatrix m = NpyMatrix.read(Fixtures.path("npy/" + name + ".npy"));
      assertEquals(5, m.rows(), name);
      assertEquals(3, m.dim(), name);
      assertArrayEquals(expected.vector(name), m.rowMajorView(), 0.0, name);
    }
    NpyMatrix.Header h = NpyMatrix.readHeader(Fixtures.path("npy/f8_fortran.npy"));
    assertEquals("<f8", h.dtype());
    assertTrue(h.fortranOrder());
    assertArrayEquals(new long[] {5, 3}, h.shape());
  }

  @Test
  void rejectsWhatIsNotAFloatMatrixNamingTheFile() {
    String[][] cases = {
      {"bad_1d", "shape (5,)"},
      {"bad_3d", "shape (5, 3, 1)"},
      {"bad_int", "dtype '<i8'"},
      {"bad_truncated", "truncated"},
    };
    for (String[] c : cases) {
      Path p = Fixtures.path("npy/" + c[0] + ".npy");
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> NpyMatrix.read(p), c[0]);
      assertTrue(e.getMessage().contains(c[0] + ".npy"), e.getMessage());
      assertTrue(e.getMessage().contains(c[1]), e.getMessage());
    }
  }

  @Test
  void roundTripsFloat64AndFloat32() throws Exception {
    FeatureMatrix m = FeatureMatrix.of(new double[][] {{1.5, -2, 1e-300}, {Math.PI, 0, -0.0}});
    Path f8 = dir.resolve("m.npy");
    NpyMatrix.write(f8, m);
    assertArrayEquals(m.rowMajorView(), NpyMatrix.read(f8).rowMajorView(), 0.0);
    // numpy pads the header so the data start at a multiple of 64 bytes.
    assertEquals(0, NpyMatrix.readHeader(f8).dataOffset() % 64);
    Path f4 = dir.resolve("m32.npy");
    NpyMatrix.writeFloat32(f4, new float[][] {{1.25f, 2}, {3, -4.5f}});
    FeatureMatrix r = NpyMatrix.read(f4);
    assertArrayEquals(new double[] {1.25, 2, 3, -4.5}, r.rowMajorView(), 0.0);
    assertEquals("<f4", NpyMatrix.readHeader(f4).dtype());
    Path nan = dir.resolve("nan.npy");
    NpyMatrix.writeFloat32(nan, new float[][] {{1, Float.NaN}});
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> NpyMatrix.read(nan));
    assertTrue(e.getMessage().contains("nan.npy") && e.getMessage().contains("row 0"));
    Path junk = dir.resolve("junk.npy");
    Files.write(junk, new byte[] {1, 2, 3});
    assertThrows(IllegalArgumentException.class, () -> NpyMatrix.read(junk));
  }

  @Test
  void float32FilesAreWhatNumpysReaderExpects() throws Exception {
    float[][] rows = {{1f, -2.5f, 3e-8f}, {Float.MAX_VALUE, 0f, -0f}};
    Path p = dir.resolve("f.npy");
    NpyMatrix.writeFloat32(p, rows);
    byte[] head = Files.readAllBytes(p);
    assertEquals(0, (10 + (head[8] & 0xFF)) % 64, "header padded to 64 bytes");
    assertEquals(10 + (head[8] & 0xFF) + 2 * 3 * 4, head.length, "header + 6 float32 values");
    // DJL's reader is an independent implementation of numpy's format.
    try (NDManager m = NDManager.newBaseManager();
        InputStream in = Files.newInputStream(p)) {
      NDArray a = NDList.decode(m, in).singletonOrThrow();
      assertEquals(new Shape(2, 3), a.getShape());
      assertEquals(DataType.FLOAT32, a.getDataType());
      assertArrayEquals(new float[] {1f, -2.5f, 3e-8f, Float.MAX_VALUE, 0f, -0f}, a.toFloatArray());
    }
    Path ragged = dir.resolve("ragged.npy");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NpyMatrix.writeFloat32(ragged, new float[][] {{1, 2}, {3}}));
    assertTrue(e.getMessage().contains("row 1"), e.getMessage());
    assertFalse(Files.exists(ragged), "nothing written for ragged rows");
  }
}
