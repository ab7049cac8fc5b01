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

  /**
   * Checks the sampler specs against {@code T}, and refuses a setting that cannot train ({@link
   * #degenerate}).
   */
  public void validate(int T) {
    String why = degenerate(T);
    if (why != null) {
      throw new IllegalArgumentException(why);
    }
  }

  /**
   * Why this setting cannot train, or null. With {@code t' = t} for every sample and the {@code
   * predicted} pairing, the predicted branch {@code sqrt(abar) x0_hat + sqrt(1 - abar) eps_hat} is
   * {@code x_t} itself (for every parameterization: {@code (x0_hat, eps_hat)} is a decomposition of
   * {@code x_t}), and so is the real branch: the loss is 0 up to rounding and no gradient reaches
   * the weights.
   *
   * @throws IllegalArgumentException for a malformed sampler spec
   */
  public String degenerate(int T) {
    var t = TimestepSamplers.parseOnline(tSampler, T);
    var tPrime = TimestepSamplers.parse(tPrimeSampler, T);
    if (noisePairing == NoisePairing.PREDICTED && TimestepSamplers.alwaysEqual(t, tPrime)) {
      return "t' = t ('"
          + tPrimeSampler
          + "' with t '"
          + tSampler
          + "') and the 'predicted' noise pairing make both branches x_t: the self-perceptual"
          + " loss is 0 and nothing trains; use noisePairing 'true' or 'shared-fresh' with this"
          + " t', or another t'";
    }
    return null;
  }
}
