package org.spdiff.metrics.inception;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spdiff.metrics.Fixtures;

/**
 * DJL reads what infra/weights/convert_pytorch_fid.py writes: converter_fixture.safetensors comes
 * from its {@code --self-test --write-fixture} (a fake state dict with float32, float64 and int64
 * tensors, pytorch-fid key names).
 */
class ConverterOutputTest {

  @Test
  void djlDecodesTheHandWrittenSafetensors() throws Exception {
    try (InputStream in =
            Fixtures.class.getResourceAsStream("fixtures/converter_fixture.safetensors");
        NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> byName = new HashMap<>();
      for (NDArray a : NDList.decode(m, in)) {
        byName.put(a.getName(), a);
      }
      assertEquals(4, byName.size(), byName.keySet().toString());
      NDArray w = byName.get("Conv2d_1a_3x3.conv.weight");
      assertEquals(new Shape(32, 3, 3, 3), w.getShape());
      assertEquals(DataType.FLOAT32, w.getDataType());
      assertEquals(
          InceptionV3Architecture.parameterShapes().get("Conv2d_1a_3x3.conv.weight"), w.getShape());
      float[] var = byName.get("Conv2d_1a_3x3.bn.running_var").toFloatArray();
      for (float v : var) {
        assertEquals(true, v >= 0.5f && v <= 1.5f, "running_var " + v);
      }
      assertEquals(DataType.FLOAT64, byName.get("fc.bias").getDataType());
      assertEquals(new Shape(1008), byName.get("fc.bias").getShape());
      assertEquals(7L, byName.get("Conv2d_1a_3x3.bn.num_batches_tracked").getLong());
    }
  }
}
