package org.spdiff.core.train;

import ai.djl.ndarray.NDArray;

/**
 * AdamW (Loshchilov &amp; Hutter 2019) as PyTorch computes it, written out so that its state (the
 * moments {@code m}, {@code v} and the step count) is plain named arrays that checkpoints save and
 * restore exactly. For step {@code k >= 1} with gradient {@code g}:
 *
 * <pre>
 * p = p (1 - lr wd)
 * m = b1 m + (1 - b1) g
 * v = b2 v + (1 - b2) g^2
 * p = p - lr / (1 - b1^k) * m / (sqrt(v) / sqrt(1 - b2^k) + eps)
 * </pre>
 *
 * Runs in place with grad mode off (outside a gradient collector).
 */
public record AdamW(double beta1, double beta2, double eps, double weightDecay) {

  /** Updates {@code p}, {@code m} and {@code v} in place. */
  public void step(NDArray p, NDArray g, NDArray m, NDArray v, double lr, long k) {
    if (k < 1) {
      throw new IllegalArgumentException("AdamW step count starts at 1: " + k);
    }
    double bc1 = 1 - StrictMath.pow(beta1, k);
    double bc2 = 1 - StrictMath.pow(beta2, k);
    if (weightDecay > 0) {
      p.muli((float) (1 - lr * weightDecay));
    }
    m.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
    v.muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
    NDArray denom = v.sqrt().divi((float) Math.sqrt(bc2)).addi((float) eps);
    p.subi(m.div(denom).muli((float) (lr / bc1)));
  }
}
