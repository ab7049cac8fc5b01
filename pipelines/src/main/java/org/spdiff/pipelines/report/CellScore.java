package org.spdiff.pipelines.report;

import java.io.Serializable;
import java.util.List;
import org.spdiff.metrics.compare.CellProfile;

/**
 * The scores of one cell: one training replicate of a variant, sampled with one setting at one CFG
 * scale. Rows of the table aggregate the replicates of a cell ({@link RowScore}).
 *
 * @param setting the sampling setting's label (e.g. {@code ddim-20})
 * @param fid FID of all samples against the reference statistics
 * @param fidStd standard deviation of FID over disjoint splits of the samples (sampling noise of
 *     one model, measured on fractions of the samples)
 * @param isMean Inception Score mean over splits (NaN when not computed), {@code isStd} its std
 * @param kid KID mean over subsets, {@code kidStd} its std (NaN when not computed)
 * @param precision improved precision (Kynkaanniemi et al. 2019), NaN when not computed
 * @param recall improved recall (same)
 * @param density density (Naeem et al. 2020)
 * @param coverage coverage (same)
 * @param fidInfinity FID extrapolated to infinitely many samples (Chong and Forsyth 2020)
 * @param fidInfinityResidual root-mean-square residual of its line fit
 * @param perClass FID and IS of the samples of each class (conditional studies; empty otherwise)
 * @param featureNetwork the id of the network and weights the features came from
 * @param trainSteps stage-2 training steps of the variant
 * @param trainSeconds wall time of the variant's training (as recorded when it ran)
 * @param card everything the score depends on besides the model
 * @param profile every statistic on all samples and with each jackknife fold deleted (what the
 *     paired comparisons against the control are computed from)
 * @param warnings why a number may be unreliable (e.g. fewer samples than feature dimensions)
 * @param imagesPerSecond generation throughput of the cell (samples over the summed wall time of
 *     its shards; NaN when not recorded): a wall-time figure, like {@code trainSeconds}
 */
public record CellScore(
    String variant,
    String objective,
    int replicate,
    String setting,
    double cfgScale,
    double fid,
    double fidStd,
    double isMean,
    double isStd,
    double kid,
    double kidStd,
    double precision,
    double recall,
    double density,
    double coverage,
    double fidInfinity,
    double fidInfinityResidual,
    List<ClassScore> perClass,
    String featureNetwork,
    int samples,
    int trainSteps,
    double trainSeconds,
    String scoreKey,
    EvaluationCard card,
    CellProfile profile,
    List<String> warnings,
    double imagesPerSecond)
    implements Serializable {

  /**
   * The scores of the samples of one class.
   *
   * @param count samples of the class
   */
  public record ClassScore(int label, int count, double fid, double is) implements Serializable {}
}
