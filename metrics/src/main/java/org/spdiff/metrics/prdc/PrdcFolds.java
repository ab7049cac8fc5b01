package org.spdiff.metrics.prdc;

import java.util.List;

/**
 * PRDC of a generated set and of the set with each fold deleted.
 *
 * @param full all rows
 * @param withoutFold entry g: the rows outside fold g (generated radii recomputed among them)
 */
public record PrdcFolds(Prdc full, List<Prdc> withoutFold) {
  /** Copies the list. */
  public PrdcFolds {
    withoutFold = List.copyOf(withoutFold);
  }
}
