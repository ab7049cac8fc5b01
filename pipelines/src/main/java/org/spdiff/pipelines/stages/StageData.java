package org.spdiff.pipelines.stages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.spdiff.core.data.ImageSet;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.prepare.records.RecordShards;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * Prepared splits loaded into memory once per worker JVM (training and reference statistics read
 * the same records). Holds at most two splits.
 */
public final class StageData {
  private static final Map<String, ImageSet> CACHE =
      new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ImageSet> e) {
          return size() > 2;
        }
      };

  private StageData() {}

  /**
   * The split {@code split} of the study's prepared data (the prepare key), every file checked
   * against the key's marker first (once per process); see {@link #load(String, String, boolean)}.
   */
  public static ImageSet load(
      ArtifactStore store, String prepareKey, String split, boolean conditional) {
    store.verifyAll(Plan.PREPARE, prepareKey);
    return load(store.dir(Plan.PREPARE, prepareKey), split, conditional);
  }

  /**
   * The split {@code split} of the prepared data at {@code dir}; labels are dropped (set to -1, no
   * classes) when {@code conditional} is false.
   */
  public static ImageSet load(String dir, String split, boolean conditional) {
    String k = dir + "|" + split + "|" + conditional;
    synchronized (CACHE) {
      ImageSet cached = CACHE.get(k);
      if (cached != null) {
        return cached;
      }
    }
    ImageSet set;
    try {
      set = RecordShards.readSplit(dir, split);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read split " + split + " of " + dir, e);
    }
    if (!conditional) {
      byte[][] px = new byte[set.size()][];
      for (int i = 0; i < px.length; i++) {
        px[i] = set.pixels(i);
      }
      int[] none = new int[px.length];
      java.util.Arrays.fill(none, -1);
      set = new ImageSet(set.channels(), set.height(), set.width(), px, none, 0);
    }
    synchronized (CACHE) {
      CACHE.put(k, set);
    }
    return set;
  }
}
