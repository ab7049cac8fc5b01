/**
 * Float64 feature statistics: mergeable count / mean / covariance ({@link
 * org.spdiff.metrics.stats.FeatureStats}), the Gaussian moments exchanged as pytorch-fid {@code
 * .npz} files ({@link org.spdiff.metrics.stats.FeatureMoments}), the Inception Score and the Kernel
 * Inception Distance, and numpy's legacy seeded generator so that seeded draws match
 * torch-fidelity.
 */
package org.spdiff.metrics.stats;
