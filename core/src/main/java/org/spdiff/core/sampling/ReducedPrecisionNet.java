package org.spdiff.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.spdiff.core.model.DiffusionNet;
import org.spdiff.core.model.FeatureLayers;
import org.spdiff.core.model.UNet;

/**
 * A copy of a UNet whose weights are held in a reduced float type (bfloat16 or float16), used as a
 * float32 network: {@link #predict} casts {@code x_t} to that type, runs the forward pass in it and
 * casts the prediction back to float32. Timesteps and labels keep their integer types; the timestep
 * sinusoid is computed in float32 and cast by the first linear layer. The float32 source is not
 * changed. Generation only: {@link #features} is refused (features stay float32).
 */
public final class ReducedPrecisionNet implements DiffusionNet {
  private final UNet copy;
  private final GenerationPrecision precision;

  private ReducedPrecisionNet(UNet copy, GenerationPrecision precision) {
    this.copy = copy;
    this.precision = precision;
  }

  /**
   * Copies {@code source}'s weights into a new UNet in {@code manager} (which must outlive the
   * copy) and casts them to {@code precision}.
   *
   * @throws IllegalArgumentException for {@code fp32} (nothing to reduce), a precision this engine
   *     cannot run ({@link GenerationPrecision#checkAvailable}) or the device cannot run ({@link
   *     GenerationPrecision#checkDevice}); checked before any native call
   */
  public static ReducedPrecisionNet of(
      UNet source, GenerationPrecision precision, NDManager manager) {
    precision.checkDevice(manager.getDevice());
    return onAnyDevice(source, precision, manager);
  }

  /** As {@link #of} without the device check (tests run the float16 path on a CPU). */
  static ReducedPrecisionNet onAnyDevice(
      UNet source, GenerationPrecision precision, NDManager manager) {
    if (precision == GenerationPrecision.FP32) {
      throw new IllegalArgumentException("fp32 needs no reduced-precision copy");
    }
    precision.checkAvailable();
    UNet copy = new UNet(source.config());
    copy.initialize(manager, 0, precision.dataType());
    copy.freezeParameters(true);
    copy.copyWeightsFrom(source); // cast to each parameter's (reduced) type
    return new ReducedPrecisionNet(copy, precision);
  }

  public GenerationPrecision precision() {
    return precision;
  }

  @Override
  public NDArray predict(
      ParameterStore ps, NDArray xt, NDArray t, NDArray labels, boolean training) {
    NDArray low = xt.toType(precision.dataType(), false);
    return copy.predict(ps, low, t, labels, training).toType(xt.getDataType(), false);
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
    return copy;
  }

  @Override
  public int numClasses() {
    return copy.numClasses();
  }
}
