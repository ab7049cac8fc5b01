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
 *   <li>{@code bf16}: bfloat16, on a CPU (fast where it has AVX-512 BF16 or AMX, as this project's
 *       machines do) or a GPU. DJL 0.36's PyTorch bindings map no bfloat16 type (creating one
 *       aborts the JVM), so this forward pass runs as a TorchScript program ({@link
 *       org.spdiff.core.model.ScriptedUNet}) whose inputs and output stay float32;
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
