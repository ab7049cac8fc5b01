package org.spdiff.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.spdiff.core.engine.NativeArrays;

/**
 * The timestep embedding of DDPM (Ho et al., 2020) / guided-diffusion: the sinusoidal features
 * {@code [cos(t * f_i), sin(t * f_i)]} with {@code f_i = 10000^(-i / half)}, {@code i < half =
 * sinusoidDim / 2}, followed by {@code Linear -> SiLU -> Linear}. Children {@code linear1}
 * (sinusoidDim to embedDim) and {@code linear2} (embedDim to embedDim).
 */
final class TimestepEmbedding extends ModelBlock {
  private final int sinusoidDim;
  private final LinearLayer linear1;
  private final LinearLayer linear2;

  TimestepEmbedding(int sinusoidDim, int embedDim) {
    if (sinusoidDim <= 0 || sinusoidDim % 2 != 0) {
      throw new IllegalArgumentException(
          "timeSinusoidDim must be positive and even: " + sinusoidDim);
    }
    this.sinusoidDim = sinusoidDim;
    linear1 = addChildBlock("linear1", new LinearLayer(sinusoidDim, embedDim));
    linear2 = addChildBlock("linear2", new LinearLayer(embedDim, embedDim));
  }

  /**
   * The sinusoidal features alone.
   *
   * @param t timesteps {@code [N]} (any numeric type; not scaled)
   * @return float32 {@code [N, dim]}, cosines first
   */
  static NDArray sinusoidal(NDArray t, int dim) {
    int half = dim / 2;
    NDManager m = t.getManager();
    NDArray range = m.arange(0f, half);
    NDArray freqs = range.mul(NativeArrays.scalar(range, -Math.log(10000.0) / half)).exp();
    NDArray args = t.toType(DataType.FLOAT32, false).reshape(-1, 1).mul(freqs.reshape(1, half));
    return args.cos().concat(args.sin(), 1);
  }

  /** {@code t [N]} int64 to the embedding {@code [N, embedDim]}. */
  NDArray forward(ParameterStore ps, NDArray t, boolean training) {
    NDArray h = linear1.forward(ps, sinusoidal(t, sinusoidDim), training);
    return linear2.forward(ps, silu(h), training);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.singletonOrThrow(), training));
  }
}
