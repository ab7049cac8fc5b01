package org.spdiff.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

class TorchScriptArchiveTest {

  /**
   * The pickle, opcode by opcode (what torch.jit.save writes for such a module, less memo puts).
   */
  @Test
  void modulePickleBytes() {
    byte[] expected = {
      (byte) 0x80,
      2, // PROTO 2
      'c',
      '_',
      '_',
      't',
      'o',
      'r',
      'c',
      'h',
      '_',
      '_',
      '\n',
      'N',
      'e',
      't',
      '\n', // GLOBAL
      ')',
      (byte) 0x81,
      '}', // EMPTY_TUPLE NEWOBJ EMPTY_DICT
      'X',
      8,
      0,
      0,
      0,
      't',
      'r',
      'a',
      'i',
      'n',
      'i',
      'n',
      'g', // BINUNICODE "training"
      (byte) 0x89,
      's',
      'b',
      '.' // NEWFALSE SETITEM BUILD STOP
    };
    assertArrayEquals(expected, TorchScriptArchive.modulePickle("Net"));
  }

  @Test
  void archiveLayoutIsDeterministic() throws IOException {
    byte[] a =
        TorchScriptArchive.module(
            "Net", "  def forward(self: __torch__.Net) -> int:\n    return 1\n");
    assertArrayEquals(
        a,
        TorchScriptArchive.module(
            "Net", "  def forward(self: __torch__.Net) -> int:\n    return 1\n"));
    List<String> names = new ArrayList<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(a))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        names.add(e.getName());
        if (e.getName().endsWith("version")) {
          assertEquals("3\n", new String(zip.readAllBytes(), StandardCharsets.US_ASCII));
        }
      }
    }
    assertEquals(
        List.of("net/data.pkl", "net/code/__torch__.py", "net/constants.pkl", "net/version"),
        names);
    assertThrows(IllegalArgumentException.class, () -> TorchScriptArchive.module("a-b", ""));
  }

  /** A bfloat16 round trip inside libtorch, which DJL alone cannot express: 1/3 to 8 bits. */
  @Test
  void runsABfloat16ProgramOnFloat32Tensors() {
    String methods =
        "  def forward(self: __torch__.Half,\n"
            + "    x: Tensor,\n"
            + "    w: List[Tensor],\n"
            + "    dt: int) -> Tensor:\n"
            + "    y = torch.mul(torch.to(x, dt), torch.to(w[0], dt))\n"
            + "    return torch.to(y, 6)\n";
    try (NDManager m = NDManager.newBaseManager()) {
      PtSymbolBlock block = TorchScriptArchive.load(m, TorchScriptArchive.module("Half", methods));
      PtNDArray x = (PtNDArray) m.create(new float[] {1f / 3, 1f, 300.7f});
      PtNDArray w = (PtNDArray) m.create(new float[] {1f, 2f, 1f});
      for (long dt : new long[] {6, 15}) {
        IValue out = block.forward(IValue.from(x), IValue.listFrom(w), IValue.from(dt));
        NDArray y = out.toTensor((PtNDManager) m);
        assertEquals(DataType.FLOAT32, y.getDataType());
        float[] v = y.toFloatArray();
        if (dt == 6) {
          assertArrayEquals(new float[] {1f / 3, 2f, 300.7f}, v);
        } else {
          // bfloat16 keeps 8 significant bits: 1/3 -> 0.333984375, 300.7 -> 300
          assertArrayEquals(new float[] {0.333984375f, 2f, 300f}, v);
        }
      }
    }
  }

  @Test
  void aSourceErrorNamesTheLine() {
    String methods =
        "  def forward(self: __torch__.Bad, x: Tensor) -> Tensor:\n    return torch.no_such_op(x)\n";
    try (NDManager m = NDManager.newBaseManager()) {
      EngineException e =
          assertThrows(
              EngineException.class,
              () -> TorchScriptArchive.load(m, TorchScriptArchive.module("Bad", methods)));
      assertTrue(e.getMessage().contains("no_such_op"), e.getMessage());
    }
  }
}
