package org.spdiff.pipelines.experiment;

import java.util.Set;

/** Checks of spec strings against what the core library accepts, reported with their path. */
final class Specs {
  private Specs() {}

  static final Set<String> MODELS = Set.of("tiny", "bench", "fmnist", "cifar32", "sd-latent");

  static void checkModel(ConfigNode n, String field, String model) {
    if (!MODELS.contains(model)) {
      throw n.error(field, "unknown model preset '" + model + "' (expected one of " + MODELS + ")");
    }
  }

  static void checkTimestepSampler(
      ConfigNode n, String field, String spec, int T, boolean perceptual) {
    if (!spec.matches(
        "uniform|equal|fixed\\(\\s*\\d+\\s*\\)|range\\(\\s*\\d+\\s*,\\s*\\d+\\s*\\)"
            + "|logit-normal\\(\\s*-?[\\d.]+\\s*,\\s*[\\d.]+\\s*\\)")) {
      throw n.error(
          field,
          "unknown timestep sampler '"
              + spec
              + "' (expected uniform, range(a,b), logit-normal(m,s), fixed(k)"
              + (perceptual ? ", equal)" : ")"));
    }
    if (spec.equals("equal") && !perceptual) {
      throw n.error(field, "'equal' only applies to tPrime");
    }
  }
}
