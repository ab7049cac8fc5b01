package org.spdiff.pipelines.store;

/**
 * Create-if-absent completion markers for stores that are not on the local file system.
 *
 * <p>{@code gs://} uses the Google Cloud Storage client with a does-not-exist precondition ({@link
 * GcsMarkers}); other schemes are refused with a clear message rather than given a racy
 * check-then-write.
 */
public interface Markers {

  /**
   * Creates the object with {@code data} only if it does not exist.
   *
   * @return true if this call created it
   */
  boolean createIfAbsent(String path, byte[] data);

  static Markers forPath(String path) {
    if (path.startsWith("gs://")) {
      return GcsMarkers.defaultClient();
    }
    throw new IllegalArgumentException(
        "unsupported artifact store scheme in " + path + " (supported: local paths and gs://)");
  }
}
