package org.spdiff.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * A 2-D convolution with "same" padding ({@code k / 2}) and explicit channel counts, so it needs no
 * shape inference. Parameters: {@code weight [out, in, k, k]}, {@code bias [out]}; initialised like
 * PyTorch ({@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))}) or to zero.
 */
final class ConvLayer extends ModelBlock {
  private final int inChannels;
  private final int outChannels;
  private final int kernel;
  private final int stride;
  private final boolean zeroInit;
  private final Parameter weight;
  private final Parameter bias;

  ConvLayer(int inChannels, int outChannels, int kernel, int stride, boolean zeroInit) {
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernel = kernel;
    this.stride = stride;
    this.zeroInit = zeroInit;
    weight =
        param("weight", Parameter.Type.WEIGHT, new Shape(outChannels, inChannels, kernel, kernel));
    bias = param("bias", Parameter.Type.BIAS, new Shape(outChannels));
  }

  /** A 3x3 stride-1 convolution. */
  static ConvLayer conv3x3(int in, int out, boolean zeroInit) {
    return new ConvLayer(in, out, 3, 1, zeroInit);
  }

  /** {@code x [N, in, H, W]} to {@code [N, out, ceil(H / stride), ceil(W / stride)]}. */
  NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    NDArray w = ps.getValue(weight, x.getDevice(), training);
    NDArray b = ps.getValue(bias, x.getDevice(), training);
    int pad = kernel / 2;
    return Conv2d.conv2d(
            x, w, b, new Shape(stride, stride), new Shape(pad, pad), new Shape(1, 1), 1)
        .singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.singletonOrThrow(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    int pad = kernel / 2;
    long h = (s.get(2) + 2L * pad - kernel) / stride + 1;
    long w = (s.get(3) + 2L * pad - kernel) / stride + 1;
    return new Shape[] {new Shape(s.get(0), outChannels, h, w)};
  }

  @Override
  protected Initializer initializerFor(Parameter param, long seed) {
    if (zeroInit) {
      return SeededInit.constant(0);
    }
    return SeededInit.uniform(1 / Math.sqrt((double) inChannels * kernel * kernel), seed);
  }
}
