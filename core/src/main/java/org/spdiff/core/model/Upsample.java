package org.spdiff.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Nearest-neighbour upsampling to a given size (twice the input, or the matching encoder size when
 * that was odd: 4 -> 7) followed by a 3x3 convolution. Conv2dTranspose is not implemented by DJL's
 * PyTorch engine. Child {@code conv}.
 */
final class Upsample extends ModelBlock {
  /** libtorch interpolation mode 0 in DJL's {@code NDArrayEx.interpolation}: nearest. */
  private static final int NEAREST = 0;

  private final ConvLayer conv;

  Upsample(int channels) {
    conv = addChildBlock("conv", ConvLayer.conv3x3(channels, channels, false));
  }

  /** Nearest-neighbour resize of {@code x [N, C, h, w]} to {@code [N, C, height, width]}. */
  static NDArray nearest(NDArray x, long height, long width) {
    return x.getNDArrayInternal().interpolation(new long[] {height, width}, NEAREST, false);
  }

  /** {@code x [N, C, h, w]} to {@code [N, C, height, width]}. */
  NDArray forward(ParameterStore ps, NDArray x, long height, long width, boolean training) {
    NDArray up = nearest(x, height, width);
    NDArray y = conv.forward(ps, up, training);
    if (inference()) {
      free(up);
    }
    return y;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    long[] s = x.getShape().getShape();
    return new NDList(forward(ps, x, 2 * s[2], 2 * s[3], training));
  }
}
