package org.spdiff.core.train;

import ai.djl.ndarray.NDArray;

/** Exponential moving average of weights, updated by hand after each step (DJL has none). */
public final class Ema {
  private Ema() {}

  /**
   * The decay after {@code k} updates: {@code min(max, (1 + k) / (10 + k))} with warmup (the
   * TensorFlow / DDPM convention, so early averages are not dominated by the random init), else
   * {@code max}.
   */
  public static double decay(double max, boolean warmup, long k) {
    return warmup ? Math.min(max, (1.0 + k) / (10.0 + k)) : max;
  }

  /** {@code ema = d ema + (1 - d) p}, in place. */
  public static void update(NDArray ema, NDArray p, double d) {
    ema.muli((float) d).addi(p.mul((float) (1 - d)));
  }
}
