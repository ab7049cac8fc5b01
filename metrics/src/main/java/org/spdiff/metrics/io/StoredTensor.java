package org.spdiff.metrics.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor of a {@code torch.save} file: a strided view ({@code shape}, {@code stride} and {@code
 * offset} in elements) of a storage's little-endian bytes, as {@code
 * torch._utils._rebuild_tensor_v2} describes it. Values come out in C (row-major) order.
 *
 * @param dtype element type of the storage
 * @param shape sizes, empty for a 0-d tensor
 * @param stride element strides, one per dimension
 * @param offset first element in the storage
 * @param storage the storage's bytes (shared by tensors that view the same storage)
 */
public record StoredTensor(
    TorchDtype dtype, long[] shape, long[] stride, long offset, ByteBuffer storage) {

  /** Number of elements. */
  public long numel() {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return n;
  }

  /** The shape as a string, e.g. {@code (32, 3, 3, 3)}. */
  public String shapeString() {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return sb.append(shape.length == 1 ? ",)" : ")").toString();
  }

  /** Whether the elements lie in C order without gaps. */
  public boolean contiguous() {
    long expect = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (shape[d] != 1 && stride[d] != expect) {
        return false;
      }
      expect *= shape[d];
    }
    return true;
  }

  /** The values as float32 in C order (rounded from float64 or integers). */
  public float[] toFloatArray() {
    int n = Math.toIntExact(numel());
    float[] out = new float[n];
    ByteBuffer le = storage.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (dtype == TorchDtype.FLOAT32 && contiguous()) {
      le.position(Math.toIntExact(offset * 4));
      le.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out, 0, n);
      return out;
    }
    int[] idx = indices();
    for (int i = 0; i < n; i++) {
      out[i] = (float) dtype.get(le, idx[i]);
    }
    return out;
  }

  /** The values as doubles in C order. */
  public double[] toDoubleArray() {
    int n = Math.toIntExact(numel());
    double[] out = new double[n];
    ByteBuffer le = storage.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int[] idx = indices();
    for (int i = 0; i < n; i++) {
      out[i] = dtype.get(le, idx[i]);
    }
    return out;
  }

  /** Storage element index of each element in C order. */
  private int[] indices() {
    int n = Math.toIntExact(numel());
    int[] out = new int[n];
    int dims = shape.length;
    long[] pos = new long[dims];
    for (int i = 0; i < n; i++) {
      long e = offset;
      for (int d = 0; d < dims; d++) {
        e += pos[d] * stride[d];
      }
      out[i] = Math.toIntExact(e);
      for (int d = dims - 1; d >= 0; d--) {
        if (++pos[d] < shape[d]) {
          break;
        }
        pos[d] = 0;
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "StoredTensor["
        + dtype
        + " "
        + shapeString()
        + " stride "
        + Arrays.toString(stride)
        + " offset "
        + offset
        + "]";
  }
}
