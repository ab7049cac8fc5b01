package org.spdiff.core.model;

/** Which hidden features of the perceptual network the self-perceptual loss compares. */
public enum FeatureLayers {
  /** The output of the mid-block (the paper's choice). */
  MID,
  /** The output of every encoder (down) level. */
  ENCODER,
  /** Every encoder level, the mid-block and every decoder level. */
  ALL
}
