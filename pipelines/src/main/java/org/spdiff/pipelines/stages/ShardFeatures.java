package org.spdiff.pipelines.stages;

import java.io.Serializable;

/**
 * Features and logits of one {@link SampleShard}, rows in sample order.
 *
 * @param features {@code [n][d]} pool features
 * @param logits {@code [n][classes]}
 */
public record ShardFeatures(int shard, float[][] features, float[][] logits)
    implements Serializable {}
