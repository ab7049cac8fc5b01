package org.spdiff.pipelines.cli;

/**
 * A problem with what the user typed or configured (a bad flag, a missing file, a wrong field). The
 * CLI prints its message as one line and exits with status 2, before any work starts.
 */
public class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }

  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
