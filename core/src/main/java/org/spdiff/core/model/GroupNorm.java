package org.spdiff.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * Group normalisation (Wu and He, 2018) over {@code [N, C, H, W]}: the channels are split into
 * {@code groups} groups, each normalised to zero mean and unit variance over its channels and
 * positions, then scaled and shifted per channel. Parameters: {@code weight [C]} (init 1), {@code
 * bias [C]} (init 0).
 *
 * <p>DJL has no GroupNorm. This one runs libtorch's fused {@code layer_norm} over an {@code [N, G,
 * C/G * H * W]} view with unit scale and zero shift, then applies the per-channel affine: measured
 * 17-19% faster per training step than reshape + mean/var (STACK.md).
 */
final class GroupNorm extends ModelBlock {
  static final float EPS = 1e-5f;

  private final int channels;
  private final int groups;
  private final Parameter weight;
  private final Parameter bias;

  GroupNorm(int groups, int channels) {
    if (groups <= 0 || channels % groups != 0) {
      throw new IllegalArgumentException(
          "groups: " + channels + " channels are not divisible by " + groups + " groups");
    }
    this.channels = channels;
    this.groups = groups;
    weight = param("weight", Parameter.Type.GAMMA, new Shape(channels));
    bias = param("bias", Parameter.Type.BETA, new Shape(channels));
  }

  /** {@code x [N, C, H, W]} to the normalised {@code [N, C, H, W]}. */
  NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    Shape shape = x.getShape();
    long n = shape.get(0);
    long perGroup = shape.size() / (n * groups);
    NDManager m = x.getManager();
    Shape normalized = new Shape(perGroup);
    if (inference()) {
      // The same ops, written into the normalised buffer; every other handle freed at once.
      NDArray grouped = x.reshape(n, groups, perGroup);
      NDArray unit = m.ones(normalized);
      NDArray zero = m.zeros(normalized);
      NDArray ln = LayerNorm.layerNorm(grouped, normalized, unit, zero, EPS).singletonOrThrow();
      NDArray out = ln.reshape(shape);
      free(grouped, unit, zero, ln);
      NDArray g = ps.getValue(weight, x.getDevice(), false).reshape(1, channels, 1, 1);
      NDArray b = ps.getValue(bias, x.getDevice(), false).reshape(1, channels, 1, 1);
      out.muli(g).addi(b);
      free(g, b);
      return out;
    }
    NDArray normed =
        LayerNorm.layerNorm(
                x.reshape(n, groups, perGroup),
                normalized,
                m.ones(normalized, x.getDataType()),
                m.zeros(normalized, x.getDataType()),
                EPS)
            .singletonOrThrow()
            .reshape(shape);
    // Views of parameters would otherwise belong to the parameters' long-lived manager.
    NDArray g = ps.getValue(weight, x.getDevice(), training).reshape(1, channels, 1, 1);
    g.attach(m);
    NDArray b = ps.getValue(bias, x.getDevice(), training).reshape(1, channels, 1, 1);
    b.attach(m);
    return normed.mul(g).add(b);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.singletonOrThrow(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected Initializer initializerFor(Parameter param, long seed) {
    return SeededInit.constant(param == weight ? 1 : 0);
  }
}
