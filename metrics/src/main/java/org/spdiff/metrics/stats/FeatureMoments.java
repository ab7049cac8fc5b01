package org.spdiff.metrics.stats;

import java.util.Objects;

/**
 * The first two moments of a feature distribution, as pytorch-fid stores them: {@code mu} of shape
 * (d,) and {@code sigma} of shape (d, d), float64. The arrays are held by reference; callers must
 * not mutate them after construction.
 *
 * @param mu mean, shape (d,)
 * @param sigma covariance, shape (d, d), symmetric positive semi-definite
 */
public record FeatureMoments(double[] mu, double[][] sigma) {

  /** Validates shapes: sigma must be (d, d) with d = mu.length. */
  public FeatureMoments {
    Objects.requireNonNull(mu, "mu");
    Objects.requireNonNull(sigma, "sigma");
    if (sigma.length != mu.length) {
      throw new IllegalArgumentException(
          "sigma has " + sigma.length + " rows but mu has " + mu.length + " dims");
    }
    for (int i = 0; i < sigma.length; i++) {
      if (sigma[i].length != mu.length) {
        throw new IllegalArgumentException(
            "sigma row " + i + " has " + sigma[i].length + " columns, expected " + mu.length);
      }
    }
  }

  /** Feature dimension d. */
  public int dim() {
    return mu.length;
  }
}
