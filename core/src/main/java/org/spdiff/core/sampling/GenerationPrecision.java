package org.spdiff.core.sampling;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The float type the network's forward pass runs in during generation. The sampler's own arithmetic
 * (the solver's combinations of {@code x_t}, {@code x0_hat}, {@code eps_hat}) stays float32 and so
 * do training and feature extraction: only the denoiser's weights and inputs are cast, and its
 * output is cast back to float32 ({@link ReducedPrecisionNet}).
 *
 * <ul>
 *   <li>{@code fp32}: float32 (the default);
 *   <li>{@code bf16}: bfloat16. Not available with this engine: DJL 0.36's PyTorch JNI maps only
 *       float32, float64, float16, uint8, int32, int8, int64 and bool to libtorch types, and any
 *       call that creates a bfloat16 tensor ({@code toType}, {@code zeros}, ...) ends in a C++
 *       {@code throw;} that aborts the JVM ("terminate called without an active exception", seen
 *       here). It is refused ({@link #checkAvailable}) before any native call, at the experiment
 *       file's edge too, until the bindings map it.
 *   <li>{@code fp16}: float16, GPU only (refused on a CPU, where libtorch's float16 kernels are not
 *       the fast path).
 * </ul>
 */
public enum GenerationPrecision {
  FP32(DataType.FLOAT32),
  BF16(DataType.BFLOAT16),
  FP16(DataType.FLOAT16);

  private final DataType dataType;

  GenerationPrecision(DataType dataType) {
    this.dataType = dataType;
  }

  /** The DJL type of the forward pass. */
  public DataType dataType() {
    return dataType;
  }

  /** Why this precision cannot run with this engine, or null when it can. */
  public String unavailableReason() {
    return this == BF16
        ? "bf16 is not available: DJL 0.36's PyTorch bindings have no bfloat16 type (creating a"
            + " bfloat16 tensor aborts the JVM); use fp32, or fp16 on a GPU"
        : null;
  }

  /**
   * @throws IllegalArgumentException if this engine cannot run this precision ({@link
   *     #unavailableReason})
   */
  public void checkAvailable() {
    String why = unavailableReason();
    if (why != null) {
      throw new IllegalArgumentException(why);
    }
  }

  /**
   * Refuses a precision the device cannot run.
   *
   * @throws IllegalArgumentException for {@code fp16} on a CPU
   */
  public void checkDevice(Device device) {
    if (this == FP16 && !device.isGpu()) {
      throw new IllegalArgumentException(
          "precision fp16 runs only on a GPU; the network is on "
              + device
              + " (use bf16 or fp32 on a CPU)");
    }
  }

  @JsonValue
  public String spec() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static GenerationPrecision parse(String s) {
    for (GenerationPrecision p : values()) {
      if (p.name().equalsIgnoreCase(s)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown precision '" + s + "' (fp32, bf16, fp16)");
  }
}
