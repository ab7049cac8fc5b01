package org.spdiff.pipelines.store;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;

/**
 * Completion markers on Google Cloud Storage: {@code doesNotExist()} precondition, so of two runs
 * racing on one key exactly one creates the marker (HTTP 412 for the other). Credentials come from
 * Application Default Credentials only and are never logged.
 */
public final class GcsMarkers implements Markers {
  private final Storage storage;

  public GcsMarkers(Storage storage) {
    this.storage = storage;
  }

  static GcsMarkers defaultClient() {
    return new GcsMarkers(StorageOptions.getDefaultInstance().getService());
  }

  @Override
  public boolean createIfAbsent(String path, byte[] data) {
    BlobId id = blobId(path);
    try {
      storage.create(
          BlobInfo.newBuilder(id).setContentType("application/json").build(),
          data,
          Storage.BlobTargetOption.doesNotExist());
      return true;
    } catch (StorageException e) {
      if (e.getCode() == 412) {
        return false;
      }
      throw e;
    }
  }

  static BlobId blobId(String path) {
    if (!path.startsWith("gs://")) {
      throw new IllegalArgumentException("not a gs:// path: " + path);
    }
    String rest = path.substring("gs://".length());
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw new IllegalArgumentException("gs:// path needs a bucket and an object: " + path);
    }
    return BlobId.of(rest.substring(0, slash), rest.substring(slash + 1));
  }
}
