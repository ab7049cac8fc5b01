package org.spdiff.metrics.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spdiff.metrics.Fixtures;

/**
 * The torch.save reader on files PyTorch 1.13 wrote (fixtures/pth/make_pth_fixtures.py): a real
 * module's state dict plus strided, shared-storage, half, bfloat16, integer, bool, 0-d and empty
 * tensors, in both serialisations, against the values numpy saved.
 */
class TorchCheckpointTest {
  @TempDir Path dir;

  static final List<String> ORDER =
      List.of(
          "0.weight",
          "1.weight",
          "1.bias",
          "1.running_mean",
          "1.running_var",
          "1.num_batches_tracked",
          "transposed",
          "view_a",
          "view_b",
          "half",
          "bf16",
          "i32",
          "u8",
          "flags",
          "scalar",
          "empty");

  @ParameterizedTest
  @ValueSource(strings = {"small_state_zip.pth", "small_state_legacy.pth"})
  void readsEveryTensorAsPyTorchWroteIt(String name) throws Exception {
    Path file = Fixtures.path("pth/" + name);
    assertTrue(TorchCheckpoint.looksLikeTorchFile(file));
    Map<String, StoredTensor> sd = TorchCheckpoint.readStateDict(file);
    assertEquals(ORDER, List.copyOf(sd.keySet()), "the file's order");
    Fixtures expected = Fixtures.load("pth/small_state_expected.npz");
    for (String k : ORDER) {
      StoredTensor t = sd.get(k);
      if (t.shape().length > 0) { // DJL's npy reader gives 0-d arrays the shape (1)
        assertArrayEquals(expected.shape(k), t.shape(), k);
      }
      assertArrayEquals(expected.vector(k), t.toDoubleArray(), 0.0, k);
      float[] f = t.toFloatArray();
      for (int i = 0; i < f.length; i++) {
        assertEquals((float) expected.vector(k)[i], f[i], 0f, k + "[" + i + "]");
      }
    }
    assertEquals(TorchDtype.FLOAT32, sd.get("0.weight").dtype());
    assertEquals(TorchDtype.INT64, sd.get("1.num_batches_tracked").dtype());
    assertEquals(7.0, sd.get("1.num_batches_tracked").toDoubleArray()[0]);
    assertEquals(0, sd.get("1.num_batches_tracked").shape().length);
    assertFalse(sd.get("transposed").contiguous());
    assertArrayEquals(
        new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, sd.get("transposed").toFloatArray());
    assertEquals(TorchDtype.FLOAT64, sd.get("view_b").dtype());
    assertEquals(5, sd.get("view_b").offset());
    assertEquals(TorchDtype.FLOAT16, sd.get("half").dtype());
    assertEquals(TorchDtype.BFLOAT16, sd.get("bf16").dtype());
    assertEquals(0, sd.get("empty").numel());
  }

  @Test
  void halfPrecisionDecodesSubnormalsInfAndNan() {
    assertEquals(1.0f, TorchDtype.halfToFloat((short) 0x3C00));
    assertEquals(-2.0f, TorchDtype.halfToFloat((short) 0xC000));
    assertEquals(0x1p-24f, TorchDtype.halfToFloat((short) 0x0001));
    assertEquals(65504f, TorchDtype.halfToFloat((short) 0x7BFF));
    assertEquals(Float.POSITIVE_INFINITY, TorchDtype.halfToFloat((short) 0x7C00));
    assertTrue(Float.isNaN(TorchDtype.halfToFloat((short) 0x7E00)));
    assertEquals(-0.0f, TorchDtype.halfToFloat((short) 0x8000));
  }

  @Test
  void truncatedFilesFailNamingTheFile() throws Exception {
    for (String name : new String[] {"small_state_legacy.pth", "small_state_zip.pth"}) {
      byte[] all = Files.readAllBytes(Fixtures.path("pth/" + name));
      Path cut = dir.resolve("cut-" + name);
      Files.write(cut, java.util.Arrays.copyOf(all, all.length - 100));
      IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.readStateDict(cut));
      assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    }
  }

  @Test
  void notATorchFileIsNamed() throws Exception {
    Path f = dir.resolve("weights.safetensors");
    Files.write(f, new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', '}'});
    assertFalse(TorchCheckpoint.looksLikeTorchFile(f));
    IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.readStateDict(f));
    assertTrue(e.getMessage().contains("not a torch.save file"), e.getMessage());
  }

  /** A zip-format file whose pickle calls os.system: refused by name, nothing runs. */
  @Test
  void arbitraryPythonObjectsAreRefusedByName() throws Exception {
    ByteArrayOutputStream pkl = new ByteArrayOutputStream();
    pkl.write(new byte[] {(byte) 0x80, 2});
    pkl.write("cos\nsystem\n".getBytes());
    pkl.write(new byte[] {'X', 6, 0, 0, 0});
    pkl.write("whoami".getBytes());
    pkl.write(new byte[] {(byte) 0x85, 'R', '.'});
    Path f = dir.resolve("evil.pth");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
      z.putNextEntry(new ZipEntry("evil/data.pkl"));
      z.write(pkl.toByteArray());
      z.closeEntry();
    }
    IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.readStateDict(f));
    assertTrue(e.getMessage().contains("unsupported Python object os.system"), e.getMessage());
  }

  @Test
  void picklePrimitives() throws Exception {
    // protocol 2: {'a': (1, -2, 300, 70000, 2**70, -2**70), 'b': [None, True, 1.5], 'c': b'xy'}
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.write(new byte[] {(byte) 0x80, 2, '}', 'q', 0, '(', 'X', 1, 0, 0, 0, 'a', '('});
    p.write(new byte[] {'K', 1, 'J', (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
    p.write(new byte[] {'M', 0x2C, 0x01, 'J', 0x70, 0x11, 0x01, 0x00});
    p.write(new byte[] {(byte) 0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0x40});
    p.write(new byte[] {(byte) 0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xC0});
    p.write(new byte[] {'t', 'X', 1, 0, 0, 0, 'b', ']', '(', 'N', (byte) 0x88, 'G'});
    long bits = Double.doubleToLongBits(1.5);
    for (int i = 7; i >= 0; i--) {
      p.write((int) (bits >>> (8 * i)) & 0xFF);
    }
    p.write(new byte[] {'e', 'X', 1, 0, 0, 0, 'c', 'C', 2, 'x', 'y', 'u', '.'});
    PickleReader r =
        new PickleReader(
            new java.io.ByteArrayInputStream(p.toByteArray()),
            "test",
            (m, n) -> null,
            pid -> pid,
            (t, s) -> {});
    Object o = r.load();
    Map<?, ?> m = (Map<?, ?>) o;
    PickleReader.Tuple a = (PickleReader.Tuple) m.get("a");
    assertEquals(1L, a.get(0));
    assertEquals(-2L, a.get(1));
    assertEquals(300L, a.get(2));
    assertEquals(70000L, a.get(3));
    assertEquals(java.math.BigInteger.TWO.pow(70), a.get(4));
    assertEquals(java.math.BigInteger.TWO.pow(70).negate(), a.get(5));
    assertEquals(java.util.Arrays.asList(null, true, 1.5), m.get("b"));
    assertArrayEquals("xy".getBytes(), (byte[]) m.get("c"));
  }
}
