package org.spdiff.pipelines.stages;

import java.io.Serializable;

/**
 * A completed training stage: where its checkpoints are and what it cost.
 *
 * @param stage {@code teacher} or {@code variant}
 * @param name the teacher's or variant's name
 * @param key the stage key (checkpoints under {@code <store>/<stage>/<key>/checkpoints/})
 * @param steps optimizer steps of the stage
 * @param seconds wall time of the training (as recorded by the run that did it)
 */
public record TrainedModel(String stage, String name, String key, long steps, double seconds)
    implements Serializable {}
