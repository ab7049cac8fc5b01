package org.spdiff.pipelines.stages;

import java.io.Serializable;

/**
 * Generated images {@code from .. from + images.length - 1} of one cell, uint8 CHW per image.
 *
 * @param shard index of this shard in the cell (the order of the fan-in)
 */
public record SampleShard(
    int shard, long from, byte[][] images, int channels, int height, int width)
    implements Serializable {}
