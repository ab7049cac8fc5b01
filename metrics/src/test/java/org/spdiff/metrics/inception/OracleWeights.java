package org.spdiff.metrics.inception;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The weights of fixtures/inception_oracle.py: element {@code i} of the {@code k}-th key in sorted
 * key order is {@code u = ((i * 2654435761 + k * 40503) mod 2^32) / 2^32 * 2 - 1}, scaled per kind
 * of tensor, computed in float64 and stored as float32 (as numpy's {@code astype(float32)}).
 */
public final class OracleWeights {
  private OracleWeights() {}

  /** pytorch-fid's state-dict keys, sorted (the hash's {@code k}). */
  public static List<String> sortedKeys() {
    List<String> keys = new ArrayList<>(InceptionV3Architecture.parameterShapes().keySet());
    keys.sort(null);
    return keys;
  }

  /** The values of tensor {@code name} in C order. */
  public static float[] values(String name) {
    int k = sortedKeys().indexOf(name);
    if (k < 0) {
      throw new IllegalArgumentException("not a pytorch-fid key: " + name);
    }
    Shape shape = InceptionV3Architecture.parameterShapes().get(name);
    float[] v = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < v.length; i++) {
      long h = ((long) i * 2654435761L + (long) k * 40503L) & 0xFFFFFFFFL;
      double u = h / 4294967296.0 * 2.0 - 1.0;
      double x;
      if (name.endsWith("conv.weight")) {
        double fanIn = shape.get(1) * shape.get(2) * shape.get(3);
        x = u * Math.sqrt(3.0) * Math.sqrt(2.0 / fanIn);
      } else if (name.endsWith("bn.weight")) {
        x = 1.0 + 0.1 * u;
      } else if (name.endsWith("bn.running_var")) {
        x = 1.0 + 0.1 * Math.abs(u);
      } else if (name.equals("fc.weight")) {
        x = 0.05 * u;
      } else {
        x = 0.1 * u;
      }
      v[i] = (float) x;
    }
    return v;
  }
}
