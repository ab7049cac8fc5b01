package org.spdiff.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Arrays whose memory libtorch owns, for everything that can end up in an autograd graph.
 *
 * <p>DJL's PyTorch engine (0.36) backs an array made from Java data ({@code create(float[])}, and
 * the scalar it makes behind {@code mul(Number)}, {@code div(Number)}, {@code add(Number)} and the
 * other {@code Number} overloads) with a direct {@code ByteBuffer} and no copy: the libtorch tensor
 * points into Java memory that only the Java array keeps alive. Those overloads close their scalar
 * right after the op, yet autograd keeps the tensor to compute the backward pass (the {@code 0.5}
 * of {@code x.mul(0.5)} is read again for {@code dy/dx}). When a garbage collection runs between
 * forward and backward, the buffer is freed and reused and the gradient is computed from whatever
 * is there (forcing a collection there gave {@code dy/dx = 0} instead of {@code 0.5} in 20 of 20
 * tries). In training this made runs differ from one another whenever a collection happened to fall
 * inside a step, and once produced a NaN.
 *
 * <p>So code that runs under a gradient collector never uses the {@code Number} overloads and never
 * feeds a Java-backed array to an op: it takes scalars from {@link #scalar} and Java data through
 * {@link #of}, both copied into libtorch's allocator (64-byte aligned, freed by reference count).
 */
public final class NativeArrays {
  private NativeArrays() {}

  /** A 0-dimensional array {@code value} of {@code like}'s type, manager and device. */
  public static NDArray scalar(NDArray like, double value) {
    return like.getManager().full(new Shape(), (float) value, like.getDataType());
  }

  /** A libtorch-owned float32 copy of {@code data} with {@code shape}. */
  public static NDArray of(NDManager manager, float[] data, Shape shape) {
    return owned(manager.create(data, shape));
  }

  /** A libtorch-owned float32 vector. */
  public static NDArray of(NDManager manager, float[] data) {
    return of(manager, data, new Shape(data.length));
  }

  /** A libtorch-owned int64 vector. */
  public static NDArray of(NDManager manager, long[] data) {
    return owned(manager.create(data));
  }

  /**
   * {@code javaBacked} copied into libtorch memory; {@code javaBacked} is closed. The copy has the
   * same manager, name, type and shape.
   */
  public static NDArray owned(NDArray javaBacked) {
    try (NDArray source = javaBacked) {
      NDArray copy = source.duplicate();
      copy.setName(source.getName());
      return copy;
    }
  }
}
