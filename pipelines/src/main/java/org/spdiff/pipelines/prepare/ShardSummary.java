package org.spdiff.pipelines.prepare;

import java.io.Serializable;
import java.util.TreeMap;

/**
 * What one written shard holds.
 *
 * @param split the split
 * @param shard the shard number
 * @param file the path relative to the output directory
 * @param count records
 * @param bytes file size
 * @param sha256 hex SHA-256 of the file
 * @param labelCounts records per label (-1 = unlabelled)
 */
public record ShardSummary(
    String split,
    int shard,
    String file,
    long count,
    long bytes,
    String sha256,
    TreeMap<Integer, Long> labelCounts)
    implements Serializable {

  /** {@code records/<split>-SSSSS-of-NNNNN.tfrecord}. */
  public static String fileName(String split, int shard, int numShards) {
    return String.format("records/%s-%05d-of-%05d.tfrecord", split, shard, numShards);
  }
}
