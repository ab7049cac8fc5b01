package org.spdiff.pipelines.stages;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.spdiff.core.checkpoint.CheckpointStore;
import org.spdiff.pipelines.store.ArtifactStore;
import org.spdiff.pipelines.store.Attempt;

/**
 * A {@code checkpoints/} folder in the artifact store, seen as the core library's {@link
 * CheckpointStore}: every put is temp-then-rename through Beam FileSystems, so checkpoints on
 * {@code gs://} work the same as local ones, and a worker that dies mid-write leaves the previous
 * checkpoint intact. Training writes into its {@link Attempt}'s folder; readers of a complete
 * training key read through the store, so every file is checked against the key's marker.
 */
public final class StoreCheckpoints implements CheckpointStore {
  private static final String FOLDER = "checkpoints";
  private final String dir;
  private final ArtifactStore store;
  private final String stage;
  private final String key;

  /** The checkpoints of a stored training key (verified reads once the key is complete). */
  public StoreCheckpoints(ArtifactStore store, String stage, String key) {
    this.dir = store.dir(stage, key) + "/" + FOLDER;
    this.store = store;
    this.stage = stage;
    this.key = key;
  }

  private StoreCheckpoints(String dir) {
    this.dir = dir;
    this.store = null;
    this.stage = null;
    this.key = null;
  }

  /** The checkpoints under a folder that is not a key (a training attempt's folder). */
  public static StoreCheckpoints in(String folder) {
    return new StoreCheckpoints(folder + "/" + FOLDER);
  }

  @Override
  public void put(String name, byte[] content) {
    if (store != null) {
      throw new IllegalStateException(
          "refusing to write " + dir + "/" + name + ": a stored key is written by its attempt");
    }
    ArtifactStore.writeFile(dir + "/" + name, content);
  }

  @Override
  public Optional<byte[]> get(String name) {
    return store == null
        ? ArtifactStore.readFile(dir + "/" + name)
        : store.read(stage, key, FOLDER + "/" + name);
  }

  @Override
  public List<String> list() throws IOException {
    List<String> out = new ArrayList<>();
    MatchResult m = FileSystems.match(dir + "/**", EmptyMatchTreatment.ALLOW);
    if (m.status() != MatchResult.Status.OK) {
      return out;
    }
    for (MatchResult.Metadata md : m.metadata()) {
      String full = md.resourceId().toString();
      int at = full.indexOf("/" + FOLDER + "/");
      if (at < 0) {
        continue;
      }
      String rel = full.substring(at + FOLDER.length() + 2);
      if (!rel.contains("/.tmp-") && !rel.startsWith(".tmp-")) {
        out.add(rel);
      }
    }
    return out;
  }

  @Override
  public String describe(String name) {
    return dir + "/" + name;
  }
}
