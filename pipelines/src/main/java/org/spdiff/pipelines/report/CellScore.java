package org.spdiff.pipelines.report;

import java.io.Serializable;
import java.util.List;

/**
 * The scores of one cell (a variant sampled at one CFG scale): one row of the table.
 *
 * @param fid FID of all samples against the reference statistics
 * @param fidStd standard deviation of FID over disjoint splits of the samples (the uncertainty)
 * @param isMean Inception Score mean over splits (NaN when not computed)
 * @param kid KID mean over subsets, {@code kidStd} its std (NaN when not computed)
 * @param featureNetwork the id of the network and weights the features came from
 * @param trainSteps stage-2 training steps of the variant
 * @param trainSeconds wall time of the variant's training (as recorded when it ran)
 * @param warnings why a number may be unreliable (e.g. fewer samples than feature dimensions)
 */
public record CellScore(
    String variant,
    String objective,
    double cfgScale,
    double fid,
    double fidStd,
    double isMean,
    double isStd,
    double kid,
    double kidStd,
    String featureNetwork,
    int samples,
    int trainSteps,
    double trainSeconds,
    String scoreKey,
    List<String> warnings)
    implements Serializable {}
