package org.spdiff.metrics.compare;

import java.util.Objects;
import org.spdiff.metrics.fid.FrechetReference;
import org.spdiff.metrics.linalg.MatrixMultiplier;
import org.spdiff.metrics.prdc.PrdcReference;
import org.spdiff.metrics.stats.FeatureMatrix;

/**
 * The reference side shared by every cell of a study (cells of one sample count n), each part
 * computed once: the Fréchet reference (mean, trace and factor of the reference covariance), the
 * PRDC reference (reference rows with their k-NN radii) and the KID reference (subset draws and
 * reference kernel sums). PRDC and KID are optional: a reference known only by its {@code .npz}
 * moments supports FID alone. When KID and PRDC use the same rows ({@link #of}), KID takes its
 * kernel sums from the PRDC Gram passes and costs no products of its own.
 *
 * @param fid the Fréchet reference
 * @param prdc the PRDC reference, or null
 * @param kid the KID reference, or null
 */
public record ComparisonReference(FrechetReference fid, PrdcReference prdc, KidReference kid) {
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

  /**
   * The study's reference: PRDC and KID on one seeded subset of the reference rows the size of the
   * sample set ({@link PrdcReference#seededSubset}: {@code np.sort(RandomState(subsetSeed)
   * .choice(n_ref, n, replace=False))}; all rows when n_ref <= n).
   *
   * @param fid the Fréchet reference (from the moments of all reference rows)
   * @param referenceRows all reference feature rows (n_ref, d)
   * @param samples n, the size of every generated set to be scored
   * @param subsetSeed seed of the reference subset
   * @param k neighbours for precision/recall (Kynkäänniemi et al.: 3)
   * @param dcK neighbours for density/coverage (Naeem et al.: 5)
   * @param settings KID subsets, size and seed
   * @param products product engine
   */
  public static ComparisonReference of(
      FrechetReference fid,
      FeatureMatrix referenceRows,
      int samples,
      long subsetSeed,
      int k,
      int dcK,
      ComparisonSettings settings,
      MatrixMultiplier products) {
    FeatureMatrix rows =
        referenceRows.select(PrdcReference.seededSubset(referenceRows.rows(), samples, subsetSeed));
    return new ComparisonReference(
        fid,
        PrdcReference.of(rows, k, dcK, products),
        KidReference.of(
            rows,
            samples,
            settings.kidSubsets(),
            settings.kidSubsetSize(),
            settings.kidSeed(),
            products));
  }

  /** True when KID and PRDC share the reference rows (KID then rides on the PRDC pass). */
  public boolean kidSharesPrdcRows() {
    return prdc != null && kid != null && kid.rows() == prdc.real();
  }
}
