package org.spdiff.core.checkpoint;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A flat store of named blobs; names may contain {@code /}. {@code put} is atomic: a reader sees
 * either the old content or the whole new content, never a partial write.
 */
public interface CheckpointStore {
  void put(String name, byte[] content) throws IOException;

  Optional<byte[]> get(String name) throws IOException;

  /** Every stored name, in no particular order. */
  List<String> list() throws IOException;

  /** A human-readable location of {@code name} for error messages. */
  default String describe(String name) {
    return name;
  }
}
