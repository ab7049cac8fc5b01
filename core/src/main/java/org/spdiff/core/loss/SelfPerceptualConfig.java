package org.spdiff.core.loss;

import java.util.Objects;
import org.spdiff.core.model.FeatureLayers;
import org.spdiff.core.timestep.TimestepSamplers;

/**
 * The self-perceptual objective's ablation axes (METHOD.md). {@link #paper()} is the paper's
 * setting.
 *
 * @param tSampler spec of the online {@code t} sampler ({@link TimestepSamplers})
 * @param tPrimeSampler spec of the perceptual {@code t'} sampler ({@code equal} allowed)
 * @param noisePairing which noise re-noises the two branches
 * @param featureLayers which hidden features of the frozen network are compared
 * @param distance MSE or L1 between features
 * @param lambda weight of the plain MSE added to the self-perceptual loss ({@code 0} = paper)
 */
public record SelfPerceptualConfig(
    String tSampler,
    String tPrimeSampler,
    NoisePairing noisePairing,
    FeatureLayers featureLayers,
    Distance distance,
    double lambda) {

  public SelfPerceptualConfig {
    Objects.requireNonNull(tSampler, "selfPerceptual.tSampler");
    Objects.requireNonNull(tPrimeSampler, "selfPerceptual.tPrimeSampler");
    Objects.requireNonNull(noisePairing, "selfPerceptual.noisePairing");
    Objects.requireNonNull(featureLayers, "selfPerceptual.featureLayers");
    Objects.requireNonNull(distance, "selfPerceptual.distance");
    if (!(lambda >= 0) || !Double.isFinite(lambda)) {
      throw new IllegalArgumentException(
          "selfPerceptual.lambda must be finite and >= 0: " + lambda);
    }
  }

  /** Uniform {@code t} and {@code t'}, predicted pairing, mid-block, MSE, no MSE mixture. */
  public static SelfPerceptualConfig paper() {
    return new SelfPerceptualConfig(
        "uniform", "uniform", NoisePairing.PREDICTED, FeatureLayers.MID, Distance.MSE, 0.0);
  }

  /** Checks the sampler specs against {@code T}. */
  public void validate(int T) {
    TimestepSamplers.parseOnline(tSampler, T);
    TimestepSamplers.parse(tPrimeSampler, T);
  }
}
