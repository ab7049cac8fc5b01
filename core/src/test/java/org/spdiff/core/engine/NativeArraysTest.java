package org.spdiff.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A garbage collection between forward and backward must not change a gradient: the arrays that
 * autograd keeps live in libtorch memory, not in a Java buffer the collector can free.
 */
class NativeArraysTest {

  /** Frees unreachable direct buffers, then hands their memory out again filled with 1000. */
  private static List<NDArray> collectAndReuse(NDManager m) throws InterruptedException {
    for (int i = 0; i < 2; i++) {
      System.gc();
      Thread.sleep(30); // the Cleaner thread frees the buffers
    }
    List<NDArray> junk = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      junk.add(m.create(1000f));
    }
    return junk;
  }

  @Test
  void scalarSurvivesACollectionBetweenForwardAndBackward() throws Exception {
    GradMode.offOnThisThread();
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.ones(new Shape(4));
      x.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray half = NativeArrays.scalar(x, 0.5);
        NDArray y = x.mul(half).sum();
        half.close(); // as DJL's mul(Number) closes its scalar
        collectAndReuse(m);
        gc.backward(y);
      }
      assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, x.getGradient().toFloatArray());
    }
  }

  @Test
  void javaDataSurvivesACollectionBetweenForwardAndBackward() throws Exception {
    GradMode.offOnThisThread();
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.ones(new Shape(4));
      x.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray w = NativeArrays.of(m, new float[] {2, 3, 4, 5});
        NDArray y = x.mul(w).sum();
        w.close();
        collectAndReuse(m);
        gc.backward(y);
      }
      assertArrayEquals(new float[] {2, 3, 4, 5}, x.getGradient().toFloatArray());
    }
  }

  @Test
  void copiesKeepValuesTypeShapeAndName() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = NativeArrays.of(m, new float[] {1, -2, 3, 4, 5, 6}, new Shape(2, 3));
      assertEquals(new Shape(2, 3), a.getShape());
      assertArrayEquals(new float[] {1, -2, 3, 4, 5, 6}, a.toFloatArray());
      NDArray l = NativeArrays.of(m, new long[] {7, 8});
      assertEquals(DataType.INT64, l.getDataType());
      assertArrayEquals(new long[] {7, 8}, l.toLongArray());
      NDArray named = m.create(new float[] {1});
      named.setName("w");
      assertEquals("w", NativeArrays.owned(named).getName());
      NDArray s = NativeArrays.scalar(a, 0.25);
      assertEquals(new Shape(), s.getShape());
      assertEquals(DataType.FLOAT32, s.getDataType());
      assertEquals(0.25f, s.getFloat());
    }
  }
}
