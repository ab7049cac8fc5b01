package org.spdiff.metrics.compare;

import java.io.Serializable;

/**
 * A paired difference B minus A of one statistic, with its 95% interval.
 *
 * @param metric which statistic
 * @param estimate mean over replicates r of {@code stat(B_r) - stat(A_r)}, each on all n samples
 * @param lower lower end of the 95% interval
 * @param upper upper end of the 95% interval
 * @param standardError sqrt(samplingVariance + replicateVariance)
 * @param degreesOfFreedom of the t quantile (G - 1 for one replicate; Welch-Satterthwaite
 *     otherwise)
 * @param pValue two-sided p-value of "no difference" from the same t reference
 * @param replicates K, replicate pairs
 * @param folds G, jackknife folds
 * @param samplingVariance the delete-a-group jackknife variance of the estimate, folds deleted
 *     jointly from every replicate of both arms (sample-index noise, shared across replicates)
 * @param replicateVariance {@code s^2 / K} of the per-replicate differences (training-seed
 *     variation); 0 when K = 1
 * @param perReplicate the K per-replicate differences
 * @param samplingNoiseOnly true when K = 1: the interval measures only sampling noise, not the
 *     training-seed lottery
 */
public record Difference(
    Metric metric,
    double estimate,
    double lower,
    double upper,
    double standardError,
    double degreesOfFreedom,
    double pValue,
    int replicates,
    int folds,
    double samplingVariance,
    double replicateVariance,
    double[] perReplicate,
    boolean samplingNoiseOnly)
    implements Serializable {

  /** Copies the per-replicate array. */
  public Difference {
    perReplicate = perReplicate.clone();
  }

  /** A copy of the per-replicate differences. */
  @Override
  public double[] perReplicate() {
    return perReplicate.clone();
  }

  /** What the interval measures, in one sentence for reports. */
  public String note() {
    return samplingNoiseOnly
        ? "only sampling noise was measured (1 replicate per arm): the interval ignores"
            + " training-seed variation"
        : "sampling noise (jackknife over "
            + folds
            + " paired folds) plus training-seed variation across "
            + replicates
            + " replicate pairs";
  }
}
