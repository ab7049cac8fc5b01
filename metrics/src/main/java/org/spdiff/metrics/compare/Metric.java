package org.spdiff.metrics.compare;

/** The statistics a comparison reports, with the direction in which they improve. */
public enum Metric {
  FID("FID", false),
  IS("IS", true),
  KID("KID", false),
  PRECISION("precision", true),
  RECALL("recall", true),
  DENSITY("density", true),
  COVERAGE("coverage", true);

  private final String label;
  private final boolean higherIsBetter;

  Metric(String label, boolean higherIsBetter) {
    this.label = label;
    this.higherIsBetter = higherIsBetter;
  }

  /** The name printed in tables and on the command line, e.g. {@code precision}. */
  public String label() {
    return label;
  }

  /** True for IS, precision, recall, density and coverage; false for FID and KID. */
  public boolean higherIsBetter() {
    return higherIsBetter;
  }
}
