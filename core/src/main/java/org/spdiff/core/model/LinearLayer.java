package org.spdiff.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * A fully connected layer {@code y = x W^T + b} with explicit sizes. Parameters: {@code weight
 * [out, in]}, {@code bias [out]}; initialised like PyTorch ({@code U(-1/sqrt(in), 1/sqrt(in))}).
 */
final class LinearLayer extends ModelBlock {
  private final int inFeatures;
  private final int outFeatures;
  private final Parameter weight;
  private final Parameter bias;

  LinearLayer(int inFeatures, int outFeatures) {
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    weight = param("weight", Parameter.Type.WEIGHT, new Shape(outFeatures, inFeatures));
    bias = param("bias", Parameter.Type.BIAS, new Shape(outFeatures));
  }

  /**
   * {@code x [..., in]} to {@code [..., out]}. An input of another float type than the weights (the
   * float32 timestep sinusoid of a net converted to bfloat16 for generation) is cast to the
   * weights' type first.
   */
  NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    NDArray w = ps.getValue(weight, x.getDevice(), training);
    if (x.getDataType() != w.getDataType()) {
      x = x.toType(w.getDataType(), false);
    }
    return Linear.linear(x, w, ps.getValue(bias, x.getDevice(), training)).singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.singletonOrThrow(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    return new Shape[] {s.slice(0, s.dimension() - 1).add(outFeatures)};
  }

  @Override
  protected Initializer initializerFor(Parameter param, long seed) {
    return SeededInit.uniform(1 / Math.sqrt(inFeatures), seed);
  }
}
