package org.spdiff.pipelines.store;

import java.io.Serializable;

/**
 * What a complete key's marker records of one of its files.
 *
 * @param bytes the file's size
 * @param sha256 the lower-case hex SHA-256 of its content
 */
public record StoredFile(long bytes, String sha256) implements Serializable {
  @Override
  public String toString() {
    return bytes + " bytes, sha256 " + sha256;
  }
}
