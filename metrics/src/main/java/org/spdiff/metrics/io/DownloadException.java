package org.spdiff.metrics.io;

import java.io.IOException;

/**
 * A file could not be fetched into the cache. Its message is one line naming the URL and the cache
 * path. {@link #offline()} says whether the network was not used or not reachable (the user must
 * fetch the file by hand: the message says which file and where to put it) as opposed to a download
 * that started and failed (HTTP error, truncated body, stall, wrong hash).
 */
public final class DownloadException extends IOException {
  private static final long serialVersionUID = 1L;

  private final boolean offline;

  DownloadException(String message, boolean offline) {
    super(message);
    this.offline = offline;
  }

  /** True when no download was attempted or no connection could be made. */
  public boolean offline() {
    return offline;
  }
}
