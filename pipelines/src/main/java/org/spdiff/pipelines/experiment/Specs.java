package org.spdiff.pipelines.experiment;

import org.spdiff.core.model.UNetPresets;
import org.spdiff.core.timestep.TimestepSamplers;

/**
 * Checks of spec strings against what the core library accepts (its own parsers, so the experiment
 * file and the library never disagree), reported with the field's path.
 */
final class Specs {
  private Specs() {}

  static void checkModel(ConfigNode n, String field, String model) {
    if (!UNetPresets.names().contains(model)) {
      throw n.error(
          field,
          "unknown model preset '" + model + "' (expected one of " + UNetPresets.names() + ")");
    }
  }

  static void checkTimestepSampler(
      ConfigNode n, String field, String spec, int T, boolean perceptual) {
    if (spec != null && spec.contains("(") && !spec.contains(")")) {
      // YAML ends a plain value at a comma inside {...} or [...]: range(0,500) arrives as
      // "range(0".
      throw n.error(
          field,
          "'"
              + spec
              + "' was cut at a comma: inside {...} or [...] YAML ends a value at each comma;"
              + " quote it, e.g. "
              + field
              + ": \"range(0,500)\"");
    }
    try {
      if (perceptual) {
        TimestepSamplers.parse(spec, T);
      } else {
        TimestepSamplers.parseOnline(spec, T);
      }
    } catch (IllegalArgumentException e) {
      throw n.error(field, e.getMessage());
    }
  }
}
