package org.spdiff.pipelines.prepare;

import java.io.Serializable;

/**
 * One unit of reading work: an image file, or a run of {@code count} records inside an IDX or
 * CIFAR-10 file.
 *
 * @param format the layout
 * @param split the split the records belong to
 * @param path the file (IDX: the images file)
 * @param labelsPath the IDX labels file ("" otherwise)
 * @param firstIndex the index (within the split) of the first record
 * @param skip records to skip in {@code path} before the first one
 * @param count how many records
 * @param label the label of an image file (-1 unlabelled); unused for container files
 * @param sourceId the source id of an image file; the file name for container files
 */
public record SourceRef(
    SourceFormat format,
    String split,
    String path,
    String labelsPath,
    long firstIndex,
    long skip,
    int count,
    int label,
    String sourceId)
    implements Serializable {}
