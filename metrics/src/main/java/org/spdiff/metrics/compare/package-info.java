/**
 * Paired comparisons between cells whose samples are row-aligned (sample i has the same noise and
 * class in every cell: common random numbers): per-cell jackknife profiles of FID, IS, KID,
 * precision, recall, density and coverage over seeded paired folds ({@link
 * org.spdiff.metrics.compare.CellProfiles}), differences B minus A with 95% intervals that combine
 * sampling noise and training-seed replicates ({@link
 * org.spdiff.metrics.compare.PairedComparison}), and Holm-corrected verdicts across a study's
 * variants ({@link org.spdiff.metrics.compare.Verdicts}).
 */
package org.spdiff.metrics.compare;
