/**
 * Feature networks and the scores computed on their features (FID, IS, KID). No Beam.
 *
 * <p>{@link org.spdiff.metrics.FeatureExtractor} is the network contract; {@link
 * org.spdiff.metrics.Scores} turns an extractor and images into feature statistics and logits.
 */
package org.spdiff.metrics;
