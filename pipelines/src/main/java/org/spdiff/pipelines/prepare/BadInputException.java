package org.spdiff.pipelines.prepare;

/** One input record is unusable; it becomes a {@link DeadLetter} with {@link #reason()}. */
public final class BadInputException extends Exception {
  private static final long serialVersionUID = 1L;
  private final DeadLetterReason reason;

  public BadInputException(DeadLetterReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public BadInputException(DeadLetterReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public DeadLetterReason reason() {
    return reason;
  }
}
