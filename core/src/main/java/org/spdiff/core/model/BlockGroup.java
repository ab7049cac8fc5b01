package org.spdiff.core.model;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A named container of blocks (like PyTorch's {@code ModuleDict}): it only gives its children a
 * place in the parameter tree; the {@link UNet} calls them itself.
 */
final class BlockGroup extends ModelBlock {

  <B extends Block> B add(String name, B block) {
    return addChildBlock(name, block);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    throw new UnsupportedOperationException("a BlockGroup is not callable");
  }
}
