/**
 * Precision and recall (Kynkäänniemi et al. 2019, "Improved Precision and Recall Metric for
 * Assessing Generative Models": k-NN radii, k = 3) and density and coverage (Naeem et al. 2020,
 * "Reliable Fidelity and Diversity Metrics for Generative Models": k = 5) on feature rows, with
 * exact nearest neighbours and float64 distances.
 *
 * <p>Distances come from blocked Gram products ({@code |x|^2 + |y|^2 - 2 x.y}, libtorch by
 * default); every comparison whose outcome the product's rounding could change is redone with the
 * exact sum {@code sum_t (x_t - y_t)^2} in dimension order, so results equal that definition
 * whatever the product engine or thread count. The reference side ({@link
 * org.spdiff.metrics.prdc.PrdcReference}: the real rows and their radii) is computed once and
 * reused for every generated set.
 */
package org.spdiff.metrics.prdc;
