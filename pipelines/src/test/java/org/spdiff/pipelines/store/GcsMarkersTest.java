package org.spdiff.pipelines.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import org.junit.jupiter.api.Test;

/** Completion markers on gs:// against the client's in-memory fake Storage. */
class GcsMarkersTest {

  @Test
  void firstClaimWinsAndTheMarkerIsKept() {
    Storage storage = LocalStorageHelper.getOptions().getService();
    GcsMarkers markers = new GcsMarkers(storage);
    String path = "gs://bucket/store/teacher/abc/_COMPLETE.json";
    assertTrue(markers.createIfAbsent(path, "one".getBytes()));
    assertFalse(markers.createIfAbsent(path, "two".getBytes()));
    assertArrayEquals(
        "one".getBytes(),
        storage.readAllBytes(BlobId.of("bucket", "store/teacher/abc/_COMPLETE.json")));
  }

  // Concurrent claims are tested on the local store (ArtifactStoreTest); on gs:// atomicity is the
  // server's ifGenerationMatch=0 precondition, which the in-memory fake only checks sequentially.

  @Test
  void retryAfterACrashBetweenDataAndMarkerCompletesTheKey() {
    // A run that wrote its data but died before the marker leaves the key incomplete; the retry
    // (same deterministic data) claims it.
    Storage storage = LocalStorageHelper.getOptions().getService();
    storage.create(
        com.google.cloud.storage.BlobInfo.newBuilder("b", "s/variant/k/weights").build(),
        new byte[] {9});
    assertEquals(null, storage.get(BlobId.of("b", "s/variant/k/_COMPLETE.json")));
    assertTrue(
        new GcsMarkers(storage)
            .createIfAbsent("gs://b/s/variant/k/_COMPLETE.json", new byte[] {1}));
  }

  @Test
  void badPathsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> GcsMarkers.blobId("gs://bucket-only"));
    assertThrows(IllegalArgumentException.class, () -> GcsMarkers.blobId("/local/path"));
    assertThrows(IllegalArgumentException.class, () -> Markers.forPath("s3://x/y"));
  }
}
