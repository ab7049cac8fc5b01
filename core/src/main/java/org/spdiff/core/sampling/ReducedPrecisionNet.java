package org.spdiff.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.spdiff.core.model.DiffusionNet;
import org.spdiff.core.model.FeatureLayers;
import org.spdiff.core.model.ScriptedUNet;
import org.spdiff.core.model.UNet;

/**
 * A copy of a UNet whose forward pass runs in a reduced float type, used as a float32 network:
 * {@link #predict} takes and returns float32. The float32 source is not changed. Generation only:
 * {@link #features} is refused (features stay float32).
 *
 * <ul>
 *   <li>{@code bf16}: a {@link ScriptedUNet} (TorchScript, since DJL cannot create bfloat16
 *       tensors); the embedding stays float32, everything after it runs in bfloat16.
 *   <li>{@code fp16}: a DJL UNet whose weights are float16; {@code x_t} is cast to float16 and the
 *       prediction back to float32; the timestep sinusoid is computed in float32 and cast by the
 *       first linear layer.
 * </ul>
 */
public final class ReducedPrecisionNet implements DiffusionNet {
  private final DiffusionNet low;
  private final GenerationPrecision precision;

  private ReducedPrecisionNet(DiffusionNet low, GenerationPrecision precision) {
    this.low = low;
    this.precision = precision;
  }

  /**
   * Copies {@code source}'s weights into a new network in {@code manager} (which must outlive the
   * copy) that runs in {@code precision}.
   *
   * @throws IllegalArgumentException for {@code fp32} (nothing to reduce) or a precision the device
   *     cannot run ({@link GenerationPrecision#checkDevice}); checked before any native call
   */
  public static ReducedPrecisionNet of(
      UNet source, GenerationPrecision precision, NDManager manager) {
    precision.checkDevice(manager.getDevice());
    return onAnyDevice(source, precision, manager);
  }

  /** As {@link #of} without the device check (tests run the float16 path on a CPU). */
  static ReducedPrecisionNet onAnyDevice(
      UNet source, GenerationPrecision precision, NDManager manager) {
    return switch (precision) {
      case FP32 -> throw new IllegalArgumentException("fp32 needs no reduced-precision copy");
      case BF16 ->
          new ReducedPrecisionNet(
              ScriptedUNet.of(source, precision.dataType(), manager), precision);
      case FP16 -> {
        UNet copy = new UNet(source.config());
        copy.initialize(manager, 0, precision.dataType());
        copy.freezeParameters(true);
        copy.copyWeightsFrom(source); // cast to each parameter's (reduced) type
        yield new ReducedPrecisionNet(copy, precision);
      }
    };
  }

  public GenerationPrecision precision() {
    return precision;
  }

  @Override
  public NDArray predict(
      ParameterStore ps, NDArray xt, NDArray t, NDArray labels, boolean training) {
    if (low instanceof ScriptedUNet) {
      return low.predict(ps, xt, t, labels, training); // float32 in and out
    }
    NDArray in = xt.toType(precision.dataType(), false);
    return low.predict(ps, in, t, labels, training).toType(xt.getDataType(), false);
  }

  @Override
  public NDList features(
      ParameterStore ps,
      NDArray xt,
      NDArray t,
      NDArray labels,
      FeatureLayers layers,
      boolean training) {
    throw new UnsupportedOperationException("features are extracted in float32");
  }

  @Override
  public Block block() {
    return low.block();
  }

  @Override
  public int numClasses() {
    return low.numClasses();
  }
}
