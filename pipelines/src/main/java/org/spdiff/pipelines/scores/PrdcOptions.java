package org.spdiff.pipelines.scores;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Precision/recall/density/coverage flags ({@code spdiff prdc}, {@code spdiff compare}). */
public interface PrdcOptions extends ScoreOptions {
  @Description("Neighbours k of the precision/recall radii (Kynkaanniemi et al. 2019: 3)")
  @Default.Integer(3)
  int getK();

  void setK(int value);

  @Description("Neighbours k of the density/coverage radii (Naeem et al. 2020: 5)")
  @Default.Integer(5)
  int getDcK();

  void setDcK(int value);
}
