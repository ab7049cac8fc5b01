package org.spdiff.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Base of the UNet's blocks: every parameter has its shape fixed at construction, so a composite
 * needs no DJL shape inference; {@link #initializeChildBlocks} simply initialises each child.
 *
 * <p>Parameter names are the dotted path of child names, PyTorch style ({@code
 * down.0.res.0.conv1.weight}); see {@link #namedParameters(Block)}.
 */
abstract class ModelBlock extends AbstractBlock {

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (Block child : children.values()) {
      child.initialize(manager, dataType, inputShapes);
    }
  }

  /** SiLU (swish with beta 1): {@code x * sigmoid(x)}, two libtorch ops. */
  static NDArray silu(NDArray x) {
    return x.mul(x.getNDArrayInternal().sigmoid());
  }

  /**
   * Whether the calling thread runs with grad mode off: no graph keeps any intermediate, so the
   * forward may write into its own temporaries and free them as soon as they are consumed (the
   * inference path of every block). Under a gradient collector (training, and the perceptual
   * network's backward to its input) the blocks keep every intermediate.
   */
  static boolean inference() {
    return !JniUtils.isGradMode();
  }

  /**
   * SiLU of a temporary: {@code sigmoid(x) * x} computed into the sigmoid's buffer (the same bits
   * as {@link #silu}: multiplication commutes), then {@code x} is freed. Inference only.
   */
  static NDArray siluConsuming(NDArray x) {
    NDArray y = x.getNDArrayInternal().sigmoid().muli(x);
    x.close();
    return y;
  }

  /** Frees the native memory of temporaries now instead of when their manager closes. */
  static void free(NDArray... arrays) {
    for (NDArray a : arrays) {
      if (a != null) {
        a.close();
      }
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    // Composite blocks are driven by the UNet, which reports its own output shape.
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " has no standalone shape");
  }

  /** Adds a weight-like parameter of a fixed shape (initialised later by {@link SeededInit}). */
  protected final Parameter param(String name, Parameter.Type type, Shape shape) {
    return addParameter(Parameter.builder().setName(name).setType(type).optShape(shape).build());
  }

  /**
   * The parameters of a block tree in a deterministic order (children in insertion order, a block's
   * own parameters first), keyed by dotted path without DJL's numeric child prefixes.
   */
  static Map<String, Parameter> namedParameters(Block root) {
    Map<String, Parameter> out = new LinkedHashMap<>();
    visit(
        root,
        "",
        (prefix, block) -> {
          for (Pair<String, Parameter> p : block.getDirectParameters()) {
            put(out, prefix + p.getValue().getName(), p.getValue());
          }
        });
    return out;
  }

  /**
   * Sets a {@link SeededInit} on every parameter of the tree that is not yet initialised, each
   * seeded from {@code seed} and its dotted name.
   */
  static void assignInitializers(Block root, long seed) {
    visit(
        root,
        "",
        (prefix, block) -> {
          if (block instanceof ModelBlock mb) {
            for (Pair<String, Parameter> p : block.getDirectParameters()) {
              Parameter param = p.getValue();
              long s = SeededInit.seedFor(seed, prefix + param.getName());
              param.setInitializer(mb.initializerFor(param, s));
            }
          }
        });
  }

  /**
   * The initializer of one of this block's own parameters; blocks with parameters override it.
   *
   * @param seed the parameter's own seed
   */
  protected Initializer initializerFor(Parameter param, long seed) {
    throw new IllegalStateException(
        getClass().getSimpleName() + " has no initializer for " + param);
  }

  /** Visits the tree depth-first, parents before children, with each block's dotted prefix. */
  static void visit(Block block, String prefix, BiConsumer<String, Block> visitor) {
    visitor.accept(prefix, block);
    BlockList kids = block.getChildren();
    for (int i = 0; i < kids.size(); i++) {
      String key = kids.keyAt(i);
      // AbstractBlock.addChildBlock stores children as String.format("%02d%s", index + 1, name).
      String number = String.format(Locale.ROOT, "%02d", i + 1);
      String name = key.startsWith(number) ? key.substring(number.length()) : key;
      visit(kids.valueAt(i), prefix + name + ".", visitor);
    }
  }

  private static void put(Map<String, Parameter> out, String name, Parameter p) {
    if (out.put(name, p) != null) {
      throw new IllegalStateException("duplicate parameter name " + name);
    }
  }
}
