package org.spdiff.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.Arrays;
import java.util.Random;
import org.spdiff.core.engine.NativeArrays;

/**
 * A deterministic initializer: values are drawn in Java from a {@link Random} (whose algorithm the
 * JDK specifies, so values do not change across JVMs) seeded by the model seed and the parameter's
 * name, so two nets built from the same config and seed are bit-identical on any engine or device,
 * and adding a layer does not change the other layers' values.
 */
record SeededInit(Kind kind, double scale, long seed) implements Initializer {

  /** How values are drawn. */
  enum Kind {
    /**
     * Uniform in {@code [-scale, scale]} (PyTorch's default conv/linear init with scale =
     * fan_in^-1/2).
     */
    UNIFORM,
    /**
     * Normal with standard deviation {@code scale} (PyTorch's default embedding init, scale = 1).
     */
    NORMAL,
    /** The constant {@code scale} (0 for zero-initialised layers, 1 for norm scales). */
    CONSTANT
  }

  static SeededInit uniform(double bound, long seed) {
    return new SeededInit(Kind.UNIFORM, bound, seed);
  }

  static SeededInit normal(double std, long seed) {
    return new SeededInit(Kind.NORMAL, std, seed);
  }

  static SeededInit constant(double value) {
    return new SeededInit(Kind.CONSTANT, value, 0);
  }

  /** A per-parameter seed from the model seed and the parameter's (stable) name. */
  static long seedFor(long modelSeed, String name) {
    // String.hashCode is specified by the JLS, so the seed is stable too.
    return new Random(modelSeed ^ (0x9E3779B97F4A7C15L * name.hashCode())).nextLong();
  }

  @Override
  public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
    int n = Math.toIntExact(shape.size());
    float[] values = new float[n];
    Random rng = new Random(seed);
    switch (kind) {
      case UNIFORM -> {
        for (int i = 0; i < n; i++) {
          values[i] = (float) ((2 * rng.nextDouble() - 1) * scale);
        }
      }
      case NORMAL -> {
        for (int i = 0; i < n; i++) {
          values[i] = (float) (rng.nextGaussian() * scale);
        }
      }
      case CONSTANT -> Arrays.fill(values, (float) scale);
    }
    NDArray array = NativeArrays.of(manager, values, shape);
    return dataType == DataType.FLOAT32 ? array : array.toType(dataType, false);
  }
}
