package org.spdiff.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import org.spdiff.core.engine.TorchScriptArchive;

/**
 * A snapshot of a {@link UNet} whose forward pass runs as a TorchScript program ({@link
 * UNetScript}) in a chosen compute type: bfloat16, which DJL 0.36 cannot create (its bindings map
 * no bfloat16 type; see {@code GenerationPrecision}), float16, or float32. Inputs and output are
 * float32 and so is the embedding (timestep sinusoid, MLP, class embedding), which is computed by
 * the DJL blocks of the snapshot; everything after it (convolutions, GroupNorm, SiLU, attention)
 * runs in the compute type inside libtorch, with libtorch's fused {@code group_norm} and {@code
 * silu}. Generation only: no gradient, no dropout, no {@link #features}.
 *
 * <p>TorchScript runs without graph optimisation (the plain interpreter, eager kernels), so a
 * forward pass is as deterministic as the DJL one: the same inputs give the same bits. In float32
 * it agrees with {@link UNet#predict} to float rounding (GroupNorm's reductions are summed in
 * another order), not bitwise.
 */
public final class ScriptedUNet implements DiffusionNet {
  private final UNet snapshot;
  private final DataType computeType;
  private final PtSymbolBlock module;
  private final PtNDArray[] weights;

  private ScriptedUNet(
      UNet snapshot, DataType computeType, PtSymbolBlock module, PtNDArray[] weights) {
    this.snapshot = snapshot;
    this.computeType = computeType;
    this.module = module;
    this.weights = weights;
  }

  /**
   * Copies {@code source}'s weights (float32) into {@code manager}, which must outlive the copy,
   * and compiles its forward pass for {@code computeType}. Later changes to {@code source} do not
   * reach the copy.
   *
   * @throws IllegalArgumentException for a compute type other than float32, bfloat16, float16
   */
  public static ScriptedUNet of(UNet source, DataType computeType, NDManager manager) {
    typeCode(computeType); // refuses other types before any native work
    UNet copy = new UNet(source.config());
    copy.initialize(manager, 0);
    copy.freezeParameters(true);
    copy.copyWeightsFrom(source);
    UNetScript script = UNetScript.render(source.config());
    Map<String, Parameter> params = copy.namedParameters();
    List<UNetScript.ScriptWeight> order = script.weights();
    PtNDArray[] weights = new PtNDArray[order.size()];
    for (int i = 0; i < weights.length; i++) {
      UNetScript.ScriptWeight sw = order.get(i);
      Parameter p = params.get(sw.name());
      if (p == null) {
        throw new IllegalStateException("the script reads " + sw.name() + ", which the UNet lacks");
      }
      weights[i] = (PtNDArray) padded(p.getArray(), sw, manager);
    }
    byte[] archive = TorchScriptArchive.module(UNetScript.CLASS, script.methods());
    PtSymbolBlock module = TorchScriptArchive.load(manager, archive);
    return new ScriptedUNet(copy, computeType, module, weights);
  }

  /** A weight with {@link ConvLayer}'s zero padding (output filters, then input columns). */
  private static NDArray padded(NDArray w, UNetScript.ScriptWeight sw, NDManager manager) {
    NDArray out = w.duplicate();
    out.attach(manager);
    long[] s = out.getShape().getShape();
    if (sw.padOut() > 0) {
      long[] z = s.clone();
      z[0] = sw.padOut();
      out = out.concat(manager.zeros(new Shape(z), out.getDataType()), 0);
      s = out.getShape().getShape();
    }
    if (sw.padIn() > 0) {
      long[] z = s.clone();
      z[1] = sw.padIn();
      out = out.concat(manager.zeros(new Shape(z), out.getDataType()), 1);
    }
    return out;
  }

  /** libtorch's ScalarType code of a float type, as TorchScript's {@code dt: int}. */
  static long typeCode(DataType type) {
    return switch (type) {
      case FLOAT32 -> 6;
      case FLOAT16 -> 5;
      case BFLOAT16 -> 15;
      default ->
          throw new IllegalArgumentException(
              "compute type must be float32, bfloat16 or float16, got " + type);
    };
  }

  /** The type the convolutions, norms and attention run in. */
  public DataType computeType() {
    return computeType;
  }

  /** The generated TorchScript source of {@code config}'s forward pass (for inspection). */
  public static String source(UNetConfig config) {
    return UNetScript.render(config).methods();
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
    NDArray emb = snapshot.embedding(ps, t, labels, false);
    // The plain interpreter: no profiling runs, no graph rewrites, the same kernels every call.
    JniUtils.setGraphExecutorOptimize(false);
    IValue x = IValue.from((PtNDArray) xt);
    IValue e = IValue.from((PtNDArray) emb);
    IValue w = IValue.listFrom(weights);
    IValue dt = IValue.from(typeCode(computeType));
    IValue out = null;
    try {
      out = module.forward(x, e, w, dt);
      return out.toTensor((PtNDManager) xt.getManager());
    } finally {
      x.close();
      e.close();
      w.close();
      dt.close();
      if (out != null) {
        out.close();
      }
      emb.close();
    }
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
