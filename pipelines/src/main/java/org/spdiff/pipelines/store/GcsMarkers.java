package org.spdiff.pipelines.store;

import com.google.cloud.WriteChannel;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;

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
    BlobInfo info = BlobInfo.newBuilder(id).setContentType("application/json").build();
    // ifGenerationMatch=0: the server refuses (412) when the object exists, evaluated atomically
    // when the upload is finalised.
    try (WriteChannel w = storage.writer(info, Storage.BlobWriteOption.doesNotExist())) {
      w.write(ByteBuffer.wrap(data));
    } catch (StorageException e) {
      if (alreadyExists(e)) {
        return false;
      }
      throw e;
    } catch (IOException e) {
      if (alreadyExists(e)) {
        return false;
      }
      throw new UncheckedIOException("cannot write completion marker " + path, e);
    }
    return true;
  }

  private static boolean alreadyExists(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof StorageException se && se.getCode() == 412) {
        return true;
      }
      if (c instanceof FileAlreadyExistsException) {
        return true;
      }
    }
    return false;
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
