package org.spdiff.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A snapshot of a {@link UNet} whose forward pass runs as a TorchScript program ({@link
 * UNetProgram}) in a chosen compute type: bfloat16, which DJL 0.36 cannot create (its bindings map
 * no bfloat16 type; see {@code GenerationPrecision}), float16, or float32. Inputs and output are
 * float32 and so is the embedding (timestep sinusoid, MLP, class embedding), which is computed by
 * the DJL blocks of the snapshot; everything after it (convolutions, GroupNorm, SiLU, attention)
 * runs in the compute type inside libtorch, with libtorch's fused {@code group_norm} and {@code
 * silu}. Generation only: no gradient, no dropout, no {@link #features}.
 *
 * <p>A forward pass is as deterministic as the DJL one: the same inputs give the same bits. In
 * float32 it agrees with {@link UNet#predict} to float rounding (GroupNorm's reductions are summed
 * in another order), not bitwise.
 */
public final class ScriptedUNet implements DiffusionNet {
  private final UNet snapshot;
  private final DataType computeType;

  private ScriptedUNet(UNet snapshot, DataType computeType) {
    this.snapshot = snapshot;
    this.computeType = computeType;
  }

  /**
   * Copies {@code source}'s weights (float32) into {@code manager}, which must outlive the copy, to
   * run its forward pass in {@code computeType}. Later changes to {@code source} do not reach the
   * copy.
   *
   * @throws IllegalArgumentException for a compute type other than float32, bfloat16, float16
   */
  public static ScriptedUNet of(UNet source, DataType computeType, NDManager manager) {
    UNetProgram.typeCode(computeType); // refuses other types before any native work
    UNet copy = new UNet(source.config());
    copy.initialize(manager, 0);
    copy.freezeParameters(true);
    copy.copyWeightsFrom(source);
    return new ScriptedUNet(copy, computeType);
  }

  /** The type the convolutions, norms and attention run in. */
  public DataType computeType() {
    return computeType;
  }

  @Override
  public NDArray predict(
      ParameterStore ps, NDArray xt, NDArray t, NDArray labels, boolean training) {
    if (training) {
      throw new UnsupportedOperationException("a scripted UNet only generates (training = false)");
    }
    if (xt.getDataType() != DataType.FLOAT32) {
      throw new IllegalArgumentException("x_t must be float32, got " + xt.getDataType());
    }
    return snapshot.predictScripted(ps, xt, t, labels, computeType);
  }

  @Override
  public NDList features(
      ParameterStore ps,
      NDArray xt,
      NDArray t,
      NDArray labels,
      FeatureLayers layers,
      boolean training) {
    throw new UnsupportedOperationException("features are extracted by the float32 UNet");
  }

  @Override
  public Block block() {
    return snapshot;
  }

  @Override
  public int numClasses() {
    return snapshot.numClasses();
  }
}
