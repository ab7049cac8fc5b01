package org.spdiff.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Halves the resolution with a 3x3 stride-2 convolution, padding 1: {@code H -> ceil(H / 2)} (28 ->
 * 14 -> 7, 7 -> 4). Child {@code conv}.
 */
final class Downsample extends ModelBlock {
  private final ConvLayer conv;

  Downsample(int channels) {
    conv = addChildBlock("conv", new ConvLayer(channels, channels, 3, 2, false));
  }

  NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    return conv.forward(ps, x, training);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.singletonOrThrow(), training));
  }
}
