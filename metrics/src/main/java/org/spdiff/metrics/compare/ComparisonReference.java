package org.spdiff.metrics.compare;

import java.util.Objects;
import org.spdiff.metrics.fid.FrechetReference;
import org.spdiff.metrics.prdc.PrdcReference;
import org.spdiff.metrics.stats.FeatureMatrix;

/**
 * The reference side shared by every cell of a study, each part computed once: the Fréchet
 * reference (mean, trace and factor of the reference covariance), the PRDC reference (a seeded
 * subset of the reference rows the size of the sample set, with its k-NN radii) and the reference
 * rows KID draws its subsets from. PRDC and KID are optional: a reference known only by its {@code
 * .npz} moments supports FID alone.
 *
 * @param fid the Fréchet reference
 * @param prdc the PRDC reference, or null
 * @param kid the KID reference rows, or null
 */
public record ComparisonReference(FrechetReference fid, PrdcReference prdc, FeatureMatrix kid) {
  /** Requires the Fréchet reference and equal dims. */
  public ComparisonReference {
    Objects.requireNonNull(fid, "fid");
    if (prdc != null && prdc.dim() != fid.dim()) {
      throw new IllegalArgumentException(
          "PRDC reference has " + prdc.dim() + " dims, FID reference " + fid.dim());
    }
    if (kid != null && kid.dim() != fid.dim()) {
      throw new IllegalArgumentException(
          "KID reference has " + kid.dim() + " dims, FID reference " + fid.dim());
    }
  }

  /** FID only (reference given as moments). */
  public static ComparisonReference fidOnly(FrechetReference fid) {
    return new ComparisonReference(fid, null, null);
  }
}
