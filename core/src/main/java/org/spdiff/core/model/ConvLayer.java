package org.spdiff.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A 2-D convolution with "same" padding ({@code k / 2}) and explicit channel counts, so it needs no
 * shape inference. Parameters: {@code weight [out, in, k, k]}, {@code bias [out]}; initialised like
 * PyTorch ({@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))}) or to zero.
 *
 * <p>Channel counts that are not a multiple of {@value #CHANNEL_BLOCK} are padded with zeros up to
 * the next multiple (zero input channels with zero filter columns; zero filters whose outputs are
 * cut off), so libtorch sees whole blocks. libtorch 2.7.1's oneDNN convolutions lay channels out in
 * blocks of 8 or 16 and read the padding of a partial block uninitialised: with 1 to 15 output
 * channels (the UNet's {@code conv_out} of a gray or RGB image) the output and the gradients
 * differed from call to call on identical inputs and were NaN in 1-6 of 60 calls, and 24 input
 * channels gave a wrong output, on the AMD EPYC machines here with any oneDNN ISA, AVX2 included
 * ({@code ConvLayerTest}). With whole blocks they are exact and bitwise repeatable. The padding is
 * constant, so gradients reach only the real weights.
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

  /** Channels are computed in whole blocks of this many (see the class comment). */
  static final int CHANNEL_BLOCK = 16;

  static int pad(int channels) {
    return (CHANNEL_BLOCK - channels % CHANNEL_BLOCK) % CHANNEL_BLOCK;
  }

  /** {@code x [N, in, H, W]} to {@code [N, out, ceil(H / stride), ceil(W / stride)]}. */
  NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    NDArray w = ps.getValue(weight, x.getDevice(), training);
    NDArray b = ps.getValue(bias, x.getDevice(), training);
    int pad = kernel / 2;
    NDManager m = x.getManager();
    // With grad mode off, the padding copies are freed as soon as the convolution has run.
    List<NDArray> temps = inference() ? new ArrayList<>() : null;
    int extraIn = pad(inChannels);
    if (extraIn > 0) {
      // Zero input channels with zero filter columns: the sum is unchanged.
      long[] xs = x.getShape().getShape();
      NDArray zx = m.zeros(new Shape(xs[0], extraIn, xs[2], xs[3]), x.getDataType(), x.getDevice());
      NDArray zw =
          m.zeros(new Shape(outChannels, extraIn, kernel, kernel), w.getDataType(), w.getDevice());
      x = x.concat(zx, 1);
      w = w.concat(zw, 1);
      w.attach(m);
      track(temps, zx, zw, x, w);
    }
    int extra = pad(outChannels);
    if (extra > 0) {
      // Zero filters appended; the padded copies belong to the step (x's manager), not to the
      // weights' manager.
      NDArray zw =
          m.zeros(
              new Shape(extra, inChannels + extraIn, kernel, kernel),
              w.getDataType(),
              w.getDevice());
      NDArray zb = m.zeros(new Shape(extra), b.getDataType(), b.getDevice());
      w = w.concat(zw, 0);
      w.attach(m);
      b = b.concat(zb, 0);
      b.attach(m);
      track(temps, zw, zb, w, b);
    }
    NDArray y =
        Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(pad, pad), new Shape(1, 1), 1)
            .singletonOrThrow();
    if (extra == 0) {
      if (temps != null) {
        free(temps.toArray(new NDArray[0]));
      }
      return y;
    }
    NDArray out = y.get(new NDIndex(":, 0:" + outChannels));
    if (temps != null) {
      // The slice keeps y's buffer alive on its own.
      track(temps, y);
      free(temps.toArray(new NDArray[0]));
    }
    return out;
  }

  private static void track(List<NDArray> temps, NDArray... arrays) {
    if (temps != null) {
      temps.addAll(List.of(arrays));
    }
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
