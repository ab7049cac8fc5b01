package org.spdiff.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * A learned class embedding with {@code numClasses + 1} rows: ids {@code 0..numClasses-1} are the
 * classes and id {@code numClasses} is the null class used when the condition is dropped
 * (classifier-free guidance, Ho and Salimans 2022). Parameter {@code weight [numClasses + 1, dim]},
 * initialised N(0, 1) like PyTorch's {@code nn.Embedding}.
 */
final class ClassEmbedding extends ModelBlock {
  private final int rows;
  private final Parameter weight;

  ClassEmbedding(int numClasses, int dim) {
    this.rows = numClasses + 1;
    weight = param("weight", Parameter.Type.WEIGHT, new Shape(rows, dim));
  }

  /**
   * {@code labels [N]} int64 in {@code 0..numClasses} to {@code [N, dim]}. Computed as a one-hot
   * product so that the result belongs to the labels' (per-step) manager, not the weight's, in the
   * weight's type (float32, or bfloat16/float16 for reduced-precision generation).
   */
  NDArray forward(ParameterStore ps, NDArray labels, boolean training) {
    NDArray w = ps.getValue(weight, labels.getDevice(), training);
    NDArray oneHot = labels.oneHot(rows);
    if (oneHot.getDataType() != w.getDataType()) {
      oneHot = oneHot.toType(w.getDataType(), false);
    }
    return oneHot.matMul(w);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.singletonOrThrow(), training));
  }

  @Override
  protected Initializer initializerFor(Parameter param, long seed) {
    return SeededInit.normal(1, seed);
  }
}
