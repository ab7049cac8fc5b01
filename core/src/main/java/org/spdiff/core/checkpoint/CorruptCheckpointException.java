package org.spdiff.core.checkpoint;

/** A checkpoint file is missing, truncated or does not match its manifest; names the file. */
public final class CorruptCheckpointException extends RuntimeException {
  public CorruptCheckpointException(String message) {
    super(message);
  }

  public CorruptCheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
