/**
 * Fréchet distance between two Gaussians fitted to features (FID when the features are Inception
 * pool3): {@code ||mu1 - mu2||^2 + Tr(S1) + Tr(S2) - 2 Tr(sqrtm(S1 S2))}.
 *
 * <p>{@code Tr(sqrtm(S1 S2))} is computed exactly through the symmetric PSD route: with {@code S1 =
 * F F^T}, {@code S1 S2 = F (F^T S2 F) F^{-1}} is similar to the symmetric PSD matrix {@code F^T S2
 * F}, so the trace of its square root is the sum of square roots of the eigenvalues of {@code F^T
 * S2 F} (clamped at 0). The factor F of the reference set is computed once ({@link
 * org.spdiff.metrics.fid.FrechetReference}); each score then needs two products and one
 * eigenvalues-only symmetric decomposition. Engines ({@link org.spdiff.metrics.fid.FrechetEngine}):
 * Commons Math (the specified engine, slow at d = 2048) and EJML + libtorch (the fast default).
 */
package org.spdiff.metrics.fid;
