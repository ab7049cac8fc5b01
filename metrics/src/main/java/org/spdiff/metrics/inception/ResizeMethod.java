package org.spdiff.metrics.inception;

import java.util.Arrays;
import java.util.Locale;

/**
 * How images of another size reach the Inception's 299 x 299 input.
 *
 * <ul>
 *   <li>{@link #LEGACY_PYTORCH} ({@code legacy-pytorch}, the default): pytorch-fid's {@code
 *       F.interpolate(mode="bilinear", align_corners=False)} on {@code [0, 1]} pixels, no
 *       antialiasing ({@link BilinearResize}); FIDs comparable with pytorch-fid's.
 *   <li>{@link #CLEAN} ({@code clean}): clean-fid's: each channel as float32 in {@code [0, 255]},
 *       PIL's antialiased bicubic ({@link PilBicubicResize}), clipped to {@code [0, 255]}, then the
 *       network's normalisation ({@code / 255}, {@code 2 x - 1}); FIDs comparable with clean-fid's
 *       {@code mode="clean"} resize (Parmar et al., CVPR 2022), not with pytorch-fid's.
 * </ul>
 */
public enum ResizeMethod {
  LEGACY_PYTORCH(
      "legacy-pytorch", "pytorch-fid's bilinear to 299, align_corners=False, no antialiasing"),
  CLEAN(
      "clean",
      "clean-fid's PIL bicubic with antialiasing to 299, per channel as float32, clipped to [0, 255]");

  private final String id;
  private final String description;

  ResizeMethod(String id, String description) {
    this.id = id;
    this.description = description;
  }

  /** One line saying what the method does, for evaluation cards and reports. */
  public String description() {
    return description;
  }

  /** The name used in flags, study files, keys and feature network ids. */
  public String id() {
    return id;
  }

  /** The method called {@code name}; fails listing the valid names. */
  public static ResizeMethod parse(String name) {
    for (ResizeMethod m : values()) {
      if (m.id.equals(name.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown resize '"
            + name
            + "' (expected one of "
            + Arrays.stream(values()).map(ResizeMethod::id).toList()
            + ")");
  }

  /** The valid names. */
  public static java.util.List<String> ids() {
    return Arrays.stream(values()).map(ResizeMethod::id).toList();
  }
}
