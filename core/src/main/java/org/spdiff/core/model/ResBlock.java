package org.spdiff.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The residual block of DDPM / guided-diffusion: {@code h = conv1(SiLU(norm1(x)))}, {@code h +=
 * emb_proj(SiLU(emb))} broadcast over positions, {@code h = conv2(Dropout(SiLU(norm2(h))))}, output
 * {@code skip(x) + h}, where {@code skip} is a 1x1 convolution when the channel count changes and
 * the identity otherwise. {@code conv2} is zero-initialised, so a fresh block is the identity (or
 * its skip projection).
 *
 * <p>Children: {@code norm1, conv1, emb_proj, norm2, conv2} and, when {@code in != out}, {@code
 * skip}.
 */
final class ResBlock extends ModelBlock {
  private final int outChannels;
  private final float dropout;
  private final GroupNorm norm1;
  private final ConvLayer conv1;
  private final LinearLayer embProj;
  private final GroupNorm norm2;
  private final ConvLayer conv2;
  private final ConvLayer skip;

  ResBlock(int inChannels, int outChannels, int embedDim, int groups, float dropout) {
    this.outChannels = outChannels;
    this.dropout = dropout;
    norm1 = addChildBlock("norm1", new GroupNorm(groups, inChannels));
    conv1 = addChildBlock("conv1", ConvLayer.conv3x3(inChannels, outChannels, false));
    embProj = addChildBlock("emb_proj", new LinearLayer(embedDim, outChannels));
    norm2 = addChildBlock("norm2", new GroupNorm(groups, outChannels));
    conv2 = addChildBlock("conv2", ConvLayer.conv3x3(outChannels, outChannels, true));
    skip =
        inChannels == outChannels
            ? null
            : addChildBlock("skip", new ConvLayer(inChannels, outChannels, 1, 1, false));
  }

  /**
   * @param x features {@code [N, in, H, W]}
   * @param embAct the already SiLU-activated conditioning embedding {@code [N, embedDim]} (shared
   *     by all blocks, so activated once by the caller)
   * @return {@code [N, out, H, W]}
   */
  NDArray forward(ParameterStore ps, NDArray x, NDArray embAct, boolean training) {
    if (inference()) {
      return infer(ps, x, embAct);
    }
    NDArray h = conv1.forward(ps, silu(norm1.forward(ps, x, training)), training);
    NDArray e = embProj.forward(ps, embAct, training).reshape(-1, outChannels, 1, 1);
    h = h.add(e);
    h = silu(norm2.forward(ps, h, training));
    if (dropout > 0) {
      h = Dropout.dropout(h, dropout, training).singletonOrThrow();
    }
    h = conv2.forward(ps, h, training);
    NDArray shortcut = skip == null ? x : skip.forward(ps, x, training);
    return shortcut.add(h);
  }

  /**
   * {@link #forward} with grad mode off: the same ops on the same operands, so the same bits, but
   * each temporary is written in place or freed as soon as it is consumed, so a forward at a large
   * batch keeps a few activations live instead of all of them. {@code x} is left as it is.
   */
  private NDArray infer(ParameterStore ps, NDArray x, NDArray embAct) {
    NDArray h = siluConsuming(norm1.forward(ps, x, false));
    NDArray c = conv1.forward(ps, h, false);
    free(h);
    NDArray proj = embProj.forward(ps, embAct, false);
    NDArray e = proj.reshape(-1, outChannels, 1, 1);
    c.addi(e);
    free(proj, e);
    h = siluConsuming(norm2.forward(ps, c, false));
    free(c);
    NDArray out = conv2.forward(ps, h, false);
    free(h);
    if (skip == null) {
      return out.addi(x); // x + h: addition commutes, the bits of shortcut.add(h)
    }
    NDArray shortcut = skip.forward(ps, x, false);
    out.addi(shortcut);
    free(shortcut);
    return out;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.get(0), inputs.get(1), training));
  }
}
