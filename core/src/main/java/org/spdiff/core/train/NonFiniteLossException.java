package org.spdiff.core.train;

/** A loss or gradient became NaN or infinite; training stopped before updating the weights. */
public final class NonFiniteLossException extends IllegalStateException {
  private final long step;

  public NonFiniteLossException(long step, String what, double value) {
    super("non-finite " + what + " (" + value + ") at step " + step + "; no checkpoint written");
    this.step = step;
  }

  /** The 0-based step that failed. */
  public long step() {
    return step;
  }
}
