package org.spdiff.pipelines.prepare;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated input: what to read and what the output will look like. Made by {@link SourcePlanner}
 * at pipeline-construction time.
 *
 * @param format the detected layout
 * @param refs the units of reading work, in split/index order
 * @param planned records planned per split (after {@code --limit}), in output order
 * @param labelNames class names by label (empty for unlabelled data)
 * @param resolution the output side
 * @param channels the output channels
 * @param shards shards per split
 */
public record SourcePlan(
    SourceFormat format,
    List<SourceRef> refs,
    LinkedHashMap<String, Long> planned,
    List<String> labelNames,
    int resolution,
    int channels,
    Map<String, Integer> shards)
    implements Serializable {

  /** The shard of record {@code index} of {@code split}: contiguous index ranges, in order. */
  public int shardOf(String split, long index) {
    long n = planned.get(split);
    int s = shards.get(split);
    return n == 0 ? 0 : (int) Math.min(s - 1, index * s / n);
  }
}
