package org.spdiff.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.spdiff.core.engine.NativeArrays;

/**
 * Multi-head self-attention over the {@code H * W} positions of a feature map, with a residual
 * connection: {@code x + proj(Attention(qkv(norm(x))))} (guided-diffusion's {@code
 * AttentionBlock}). {@code qkv} is a 1x1 convolution to {@code 3C} channels laid out as {@code [q |
 * k | v]}, each split into {@code heads} heads of {@code C / heads} channels; scores are scaled by
 * {@code 1 / sqrt(C / heads)}. {@code proj} is a zero-initialised 1x1 convolution.
 *
 * <p>Children: {@code norm, qkv, proj}.
 */
final class SelfAttention extends ModelBlock {
  private final int channels;
  private final int heads;
  private final GroupNorm norm;
  private final ConvLayer qkv;
  private final ConvLayer proj;

  SelfAttention(int channels, int heads, int groups) {
    if (heads <= 0 || channels % heads != 0) {
      throw new IllegalArgumentException(
          "attentionHeads: " + channels + " channels are not divisible by " + heads + " heads");
    }
    this.channels = channels;
    this.heads = heads;
    norm = addChildBlock("norm", new GroupNorm(groups, channels));
    qkv = addChildBlock("qkv", new ConvLayer(channels, 3 * channels, 1, 1, false));
    proj = addChildBlock("proj", new ConvLayer(channels, channels, 1, 1, true));
  }

  /** {@code x [N, C, H, W]} to {@code [N, C, H, W]}. */
  NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    if (inference()) {
      return infer(ps, x);
    }
    Shape shape = x.getShape();
    long n = shape.get(0);
    long len = shape.get(2) * shape.get(3);
    long d = channels / heads;
    NDList parts =
        qkv.forward(ps, norm.forward(ps, x, training), training)
            .reshape(n, 3L * channels, len)
            .split(3, 1);
    NDArray q = parts.get(0).reshape(n * heads, d, len);
    NDArray k = parts.get(1).reshape(n * heads, d, len);
    NDArray v = parts.get(2).reshape(n * heads, d, len);
    // weights[b, t, s] = softmax_s(q[b, :, t] . k[b, :, s] / sqrt(d))
    NDArray logits = q.transpose(0, 2, 1).batchMatMul(k);
    NDArray weights = logits.mul(NativeArrays.scalar(logits, 1 / Math.sqrt(d))).softmax(-1);
    // out[b, c, t] = sum_s v[b, c, s] weights[b, t, s]
    NDArray out = v.batchMatMul(weights.transpose(0, 2, 1)).reshape(shape);
    return x.add(proj.forward(ps, out, training));
  }

  /**
   * {@link #forward} with grad mode off: the same ops, the scale and the residual written in place
   * (the same bits) and every temporary freed as soon as it is consumed. {@code x} is left as it
   * is.
   */
  private NDArray infer(ParameterStore ps, NDArray x) {
    Shape shape = x.getShape();
    long n = shape.get(0);
    long len = shape.get(2) * shape.get(3);
    long d = channels / heads;
    NDArray normed = norm.forward(ps, x, false);
    NDArray qkvOut = qkv.forward(ps, normed, false);
    free(normed);
    NDArray flat = qkvOut.reshape(n, 3L * channels, len);
    NDList parts = flat.split(3, 1);
    NDArray q = parts.get(0).reshape(n * heads, d, len);
    NDArray k = parts.get(1).reshape(n * heads, d, len);
    NDArray v = parts.get(2).reshape(n * heads, d, len);
    NDArray qt = q.transpose(0, 2, 1);
    NDArray logits = qt.batchMatMul(k);
    NDArray scale = NativeArrays.scalar(logits, 1 / Math.sqrt(d));
    logits.muli(scale);
    NDArray weights = logits.softmax(-1);
    free(scale, logits, qt, q, k);
    NDArray wt = weights.transpose(0, 2, 1);
    NDArray attended = v.batchMatMul(wt);
    free(wt, weights, v, flat, qkvOut);
    parts.close();
    NDArray out = attended.reshape(shape);
    NDArray y = proj.forward(ps, out, false);
    free(out, attended);
    return y.addi(x); // x + proj(...): addition commutes
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.singletonOrThrow(), training));
  }
}
