package org.spdiff.pipelines.scores;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Flags of {@code spdiff fid}. */
public interface FidOptions extends ScoreOptions {
  @Description(
      "Also print FID_inf (Chong & Forsyth 2020): FID of nested seeded subsets of PATH2 (tenths of"
          + " its rows from max(N/10, min(2d, N/2)) up), a least-squares line in 1/N, its"
          + " intercept; PATH2 must be features (.npy or images)")
  @Default.Boolean(false)
  boolean getInfinity();

  void setInfinity(boolean value);
}
