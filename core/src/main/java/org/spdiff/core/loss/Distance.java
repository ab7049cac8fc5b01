package org.spdiff.core.loss;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The distance between two feature maps, averaged over every element. */
public enum Distance {
  /** Mean squared error (the paper). */
  MSE,
  /** Mean absolute error. */
  L1;

  /** {@code mean(d(a - b))} over all elements, a scalar. */
  public NDArray between(NDArray a, NDArray b) {
    NDArray diff = a.sub(b);
    return this == MSE ? diff.square().mean() : diff.abs().mean();
  }

  @JsonValue
  public String spec() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  @JsonCreator
  public static Distance parse(String s) {
    for (Distance d : values()) {
      if (d.name().equalsIgnoreCase(s)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown distance '" + s + "' (mse, l1)");
  }
}
