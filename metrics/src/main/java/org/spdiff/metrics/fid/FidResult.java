package org.spdiff.metrics.fid;

import java.util.List;

/**
 * One Fréchet distance.
 *
 * @param value the distance, finite and >= 0 up to rounding
 * @param warnings why the value may be unreliable (e.g. fewer samples than dimensions); empty if
 *     none
 * @param engine the engine that computed it
 */
public record FidResult(double value, List<String> warnings, String engine) {
  /** Copies {@code warnings}. */
  public FidResult {
    warnings = List.copyOf(warnings);
  }

  /** True when no warning was raised. */
  public boolean reliable() {
    return warnings.isEmpty();
  }
}
