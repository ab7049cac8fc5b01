package org.spdiff.metrics.compare;

import java.util.Locale;

/** The outcome of a variant against the control on one metric. */
public enum Verdict {
  /** Significantly better after Holm's correction (lower FID/KID, higher IS/precision/recall). */
  BETTER,
  /** Significantly worse after Holm's correction. */
  WORSE,
  /** Not significant after Holm's correction. */
  INCONCLUSIVE;

  /** {@code better}, {@code worse} or {@code inconclusive}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
