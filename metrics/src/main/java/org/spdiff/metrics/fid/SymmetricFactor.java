package org.spdiff.metrics.fid;

import java.util.List;

/**
 * A factor F of a symmetric PSD matrix S with {@code S = F F^T}: the lower Cholesky factor when S
 * is positive definite, else {@code V diag(sqrt(max(lambda, 0)))} from a symmetric eigen (or SVD)
 * decomposition.
 *
 * @param f (d, d) row-major
 * @param d dimension
 * @param cholesky true if F is the Cholesky factor (S was numerically positive definite)
 * @param warnings why the factor may be unreliable; empty if none
 */
public record SymmetricFactor(double[] f, int d, boolean cholesky, List<String> warnings) {}
