package org.spdiff.metrics.prdc;

import org.spdiff.metrics.stats.FeatureMatrix;

/**
 * Precision, recall, density and coverage of one generated set against a {@link PrdcReference},
 * with closed balls (a point at exactly the radius is inside).
 *
 * <ul>
 *   <li>precision (Kynkäänniemi et al. 2019): the fraction of generated rows inside at least one
 *       real ball {@code B(x_i, NND_k(x_i))}, k = {@link #k()};
 *   <li>recall: the fraction of real rows inside at least one generated ball {@code B(y_j,
 *       NND_k(y_j))}, radii among the generated rows;
 *   <li>density (Naeem et al. 2020): {@code (1 / (dcK M)) sum_j #{i : y_j in B(x_i,
 *       NND_dcK(x_i))}}, M generated rows; can exceed 1;
 *   <li>coverage: the fraction of real rows whose ball {@code B(x_i, NND_dcK(x_i))} holds at least
 *       one generated row.
 * </ul>
 *
 * Ties: both papers write {@code <=} for precision and recall; Naeem et al.'s code uses {@code <}
 * for all four. Closed balls are used throughout, so a generated row that duplicates a real row
 * whose radius is 0 still counts; with continuous features the two agree. NND_k excludes the row
 * itself by index, so a duplicate in the same set is a neighbour at distance 0.
 *
 * @param precision in [0, 1]
 * @param recall in [0, 1]
 * @param density in [0, M_real / dcK]
 * @param coverage in [0, 1]
 * @param k neighbours for precision/recall
 * @param dcK neighbours for density/coverage
 * @param realCount real rows
 * @param fakeCount generated rows
 */
public record Prdc(
    double precision,
    double recall,
    double density,
    double coverage,
    int k,
    int dcK,
    int realCount,
    int fakeCount) {

  /** Scores a generated set (M, d), M > k. */
  public static Prdc compute(PrdcReference reference, FeatureMatrix fake) {
    return PrdcPass.run(reference, fake, null, 0, null).full();
  }

  /**
   * Scores a generated set and, for every fold g, the same set without the rows of fold g (the real
   * side fixed): the delete-a-group jackknife values of the four statistics, from the same two Gram
   * passes.
   *
   * @param foldOf fold of each generated row, in [0, groups), length M
   * @param groups 2..64 folds; every set without one fold must keep more than k rows
   */
  public static PrdcFolds computeWithFolds(
      PrdcReference reference, FeatureMatrix fake, int[] foldOf, int groups) {
    if (groups < 2 || groups > 64) {
      throw new IllegalArgumentException("groups must be in [2, 64], got " + groups);
    }
    if (foldOf.length != fake.rows()) {
      throw new IllegalArgumentException(
          "fold labels for " + foldOf.length + " rows, generated set has " + fake.rows());
    }
    return PrdcPass.run(reference, fake, foldOf, groups, null);
  }

  /**
   * {@link #computeWithFolds(PrdcReference, FeatureMatrix, int[], int)}, also handing every Gram
   * block of the two passes to {@code listener} (e.g. KID's kernel sums on the same rows).
   */
  public static PrdcFolds computeWithFolds(
      PrdcReference reference,
      FeatureMatrix fake,
      int[] foldOf,
      int groups,
      GramBlockListener listener) {
    if (groups < 2 || groups > 64) {
      throw new IllegalArgumentException("groups must be in [2, 64], got " + groups);
    }
    if (foldOf.length != fake.rows()) {
      throw new IllegalArgumentException(
          "fold labels for " + foldOf.length + " rows, generated set has " + fake.rows());
    }
    return PrdcPass.run(reference, fake, foldOf, groups, listener);
  }
}
