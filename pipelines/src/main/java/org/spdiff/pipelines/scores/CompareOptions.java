package org.spdiff.pipelines.scores;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Flags of {@code spdiff compare}. */
public interface CompareOptions extends KidOptions, PrdcOptions {
  @Description(
      "Paired jackknife folds G (2..64): the 95% intervals use t with G-1 degrees of freedom")
  @Default.Integer(10)
  int getFolds();

  void setFolds(int value);

  @Description("Logits of A as a .npy (N x C) for dIS; image folders bring their own")
  @Default.String("")
  String getLogitsA();

  void setLogitsA(String value);

  @Description("Logits of B as a .npy (N x C) for dIS; image folders bring their own")
  @Default.String("")
  String getLogitsB();

  void setLogitsB(String value);
}
