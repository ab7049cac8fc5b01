package org.spdiff.pipelines.scores;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** KID flags ({@code spdiff kid}, {@code spdiff compare}). */
public interface KidOptions extends ScoreOptions {
  @Description("KID subsets (torch-fidelity's kid_subsets)")
  @Default.Integer(100)
  int getKidSubsets();

  void setKidSubsets(int value);

  @Description(
      "Rows per KID subset (torch-fidelity's kid_subset_size); larger than a set is clipped to its"
          + " size with a warning; equal to N uses every row once")
  @Default.Integer(1000)
  int getKidSubsetSize();

  void setKidSubsetSize(int value);
}
