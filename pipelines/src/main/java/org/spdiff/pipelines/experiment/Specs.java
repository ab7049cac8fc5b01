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
