package org.spdiff.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
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
 * A {@link UNetScript} compiled by libtorch: the UNet's layers after the embedding as one
 * TorchScript call, with the weights passed in. It runs without graph optimisation (the plain
 * interpreter: eager kernels, the same every call), in grad mode or not: under a gradient
 * collector, gradients flow back to the input, the embedding and the weights as in eager PyTorch.
 */
final class UNetProgram {
  private final PtSymbolBlock module;
  private final List<String> weightNames;

  private UNetProgram(PtSymbolBlock module, List<String> weightNames) {
    this.module = module;
    this.weightNames = weightNames;
  }

  /**
   * Compiles {@code config}'s program up to {@code output}; it lives as long as {@code manager}.
   */
  static UNetProgram compile(UNetConfig config, UNetScript.Output output, NDManager manager) {
    UNetScript script = UNetScript.render(config, output);
    byte[] archive = TorchScriptArchive.module(UNetScript.CLASS, script.methods());
    return new UNetProgram(TorchScriptArchive.load(manager, archive), script.weights());
  }

  /** The weights in the program's order, as {@code ps} serves them for {@code parameters}. */
  PtNDArray[] weights(
      ParameterStore ps, Map<String, Parameter> parameters, Device device, boolean training) {
    PtNDArray[] out = new PtNDArray[weightNames.size()];
    for (int i = 0; i < out.length; i++) {
      Parameter p = parameters.get(weightNames.get(i));
      if (p == null) {
        throw new IllegalStateException(
            "the program reads " + weightNames.get(i) + ", which the UNet lacks");
      }
      out[i] = (PtNDArray) ps.getValue(p, device, training);
    }
    return out;
  }

  /**
   * Runs the program: {@code x} and {@code emb} float32, the result float32 in {@code x}'s manager.
   *
   * @param computeType float32, bfloat16 or float16
   * @param train dropout on
   */
  NDArray run(NDArray x, NDArray emb, PtNDArray[] weights, DataType computeType, boolean train) {
    // The plain interpreter: no profiling runs, no graph rewrites, the same kernels every call.
    JniUtils.setGraphExecutorOptimize(false);
    IValue ix = IValue.from((PtNDArray) x);
    IValue ie = IValue.from((PtNDArray) emb);
    IValue iw = IValue.listFrom(weights);
    IValue idt = IValue.from(typeCode(computeType));
    IValue itrain = IValue.from(train);
    IValue out = null;
    try {
      out = TorchScriptArchive.forward(module, JniUtils.isGradMode(), ix, ie, iw, idt, itrain);
      return out.toTensor((PtNDManager) x.getManager());
    } finally {
      ix.close();
      ie.close();
      iw.close();
      idt.close();
      itrain.close();
      if (out != null) {
        out.close();
      }
    }
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
}
