package org.spdiff.pipelines.launch;

import java.util.Locale;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.resourcehints.ResourceHints;

/**
 * Beam resource hints for the GPU stages only. A pipeline wraps each GPU stage (training,
 * generation, feature extraction) in {@link #onGpu}; every other step keeps the pipeline's default
 * hints, so on Dataflow only those steps ask for accelerators. Hints set on a composite transform
 * reach all of its primitive steps.
 */
public final class GpuHints {
  /** The accelerator hint's URN, as it appears in the Dataflow step properties and the proto. */
  public static final String ACCELERATOR_URN = "beam:resources:accelerator:v1";

  /** The minimum RAM hint's URN. */
  public static final String MIN_RAM_URN = "beam:resources:min_ram_bytes:v1";

  private GpuHints() {}

  /**
   * The hints {@code --gpuAccelerator} and {@code --gpuMinRam} describe; empty hints when both are
   * empty.
   *
   * @throws IllegalArgumentException naming the flag when a value is malformed
   */
  public static ResourceHints of(GpuOptions options) {
    ResourceHints hints = ResourceHints.create();
    String accelerator = options.getGpuAccelerator() == null ? "" : options.getGpuAccelerator();
    if (!accelerator.isBlank()) {
      hints = hints.withAccelerator(validAccelerator(accelerator.strip()));
    }
    String minRam = options.getGpuMinRam() == null ? "" : options.getGpuMinRam();
    if (!minRam.isBlank()) {
      try {
        hints = hints.withMinRam(minRam.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--gpuMinRam: cannot parse \"" + minRam + "\" as a size such as 16GiB", e);
      }
    }
    return hints;
  }

  /** True when the options ask for any GPU hint. */
  public static boolean enabled(PipelineOptions options) {
    GpuOptions gpu = options.as(GpuOptions.class);
    return !isBlank(gpu.getGpuAccelerator()) || !isBlank(gpu.getGpuMinRam());
  }

  /**
   * Marks {@code transform} as a GPU stage with the hints of {@code options} (a no-op when no hint
   * is configured) and returns it, for use inline in {@code apply}.
   */
  public static <T extends PTransform<?, ?>> T onGpu(T transform, PipelineOptions options) {
    if (enabled(options)) {
      transform.setResourceHints(of(options.as(GpuOptions.class)));
    }
    return transform;
  }

  private static String validAccelerator(String value) {
    // Dataflow's syntax: semicolon-separated parts, type:<name> required, count:<n> optional.
    boolean hasType = false;
    for (String part : value.split(";")) {
      String p = part.strip().toLowerCase(Locale.ROOT);
      if (p.startsWith("type:") && p.length() > "type:".length()) {
        hasType = true;
      } else if (p.startsWith("count:")) {
        String n = p.substring("count:".length());
        if (!n.matches("[1-9][0-9]*")) {
          throw new IllegalArgumentException(
              "--gpuAccelerator: count must be a positive integer in \"" + value + "\"");
        }
      }
    }
    if (!hasType) {
      throw new IllegalArgumentException(
          "--gpuAccelerator: \""
              + value
              + "\" has no type:<accelerator>, e.g. \"type:nvidia-l4;count:1;install-nvidia-driver\"");
    }
    return value;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
