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

/**
 * A stage's {@code checkpoints/} folder in the artifact store, seen as the core library's {@link
 * CheckpointStore}: every put is temp-then-rename through Beam FileSystems, so checkpoints on
 * {@code gs://} work the same as local ones, and a worker that dies mid-write leaves the previous
 * checkpoint intact.
 */
public final class StoreCheckpoints implements CheckpointStore {
  private final String dir;

  public StoreCheckpoints(ArtifactStore store, String stage, String key) {
    this.dir = store.dir(stage, key) + "/checkpoints";
  }

  @Override
  public void put(String name, byte[] content) {
    ArtifactStore.writeFile(dir + "/" + name, content);
  }

  @Override
  public Optional<byte[]> get(String name) {
    return ArtifactStore.readFile(dir + "/" + name);
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
      int at = full.indexOf("/checkpoints/");
      if (at < 0) {
        continue;
      }
      String rel = full.substring(at + "/checkpoints/".length());
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
