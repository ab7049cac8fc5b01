package org.spdiff.core.train;

import java.util.Objects;
import org.spdiff.core.checkpoint.Checkpoint;

/**
 * Which weights of a checkpoint to use.
 *
 * @param ema the EMA weights instead of the raw online weights
 */
public record WeightsRef(Checkpoint checkpoint, boolean ema) {
  public WeightsRef {
    Objects.requireNonNull(checkpoint, "checkpoint");
  }
}
