package org.spdiff.metrics.classifier;

/**
 * What is saved next to a classifier's weights ({@code classifier.json}): the input geometry, the
 * config it was trained with and how well it did.
 *
 * @param format file format tag
 * @param channels input channels
 * @param height input height
 * @param width input width
 * @param numClasses number of classes
 * @param config training and architecture settings
 * @param heldOutAccuracy accuracy on the held-out part (NaN if none was held out)
 * @param heldOutCount images held out
 * @param trainCount images trained on
 * @param trainSeconds wall-clock training time
 */
public record ClassifierRecord(
    String format,
    int channels,
    int height,
    int width,
    int numClasses,
    ClassifierConfig config,
    double heldOutAccuracy,
    int heldOutCount,
    int trainCount,
    double trainSeconds) {}
