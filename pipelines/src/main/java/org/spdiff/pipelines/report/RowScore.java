package org.spdiff.pipelines.report;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One row of the table: a variant sampled with one setting at one CFG scale, over its training
 * replicates. Two spreads are kept side by side: {@link Spread#std} across replicates (retraining
 * the model: the training-seed lottery plus sampling noise) and the mean within-model split std
 * (resampling one model's samples).
 *
 * @param replicates training replicates scored
 * @param fidSplitStd mean over replicates of FID's std over disjoint splits of one model's samples
 * @param isSplitStd mean over replicates of IS's std over splits
 * @param kidSubsetStd mean over replicates of KID's std over subsets
 * @param cells the replicates' scores, in replicate order
 * @param evaluations network evaluations per image (the solver's NFE, times 2 with CFG; 0 when the
 *     cells carry no card)
 * @param imagesPerSecond generation images/s, mean over the replicates that recorded it (NaN if
 *     none did)
 */
public record RowScore(
    String variant,
    String objective,
    String setting,
    double cfgScale,
    int replicates,
    Spread fid,
    Spread is,
    Spread kid,
    Spread precision,
    Spread recall,
    Spread density,
    Spread coverage,
    Spread fidInfinity,
    double fidSplitStd,
    double isSplitStd,
    double kidSubsetStd,
    String featureNetwork,
    int samples,
    int trainSteps,
    double trainSeconds,
    List<CellScore> cells,
    List<String> warnings,
    int evaluations,
    double imagesPerSecond)
    implements Serializable {

  /**
   * A metric over replicates.
   *
   * @param mean mean over replicates
   * @param std sample standard deviation over replicates (n - 1), NaN with one replicate
   */
  public record Spread(double mean, double std) implements Serializable {

    static Spread of(List<CellScore> cells, ToDoubleFunction<CellScore> f) {
      int n = cells.size();
      double sum = 0;
      for (CellScore c : cells) {
        sum += f.applyAsDouble(c);
      }
      double mean = sum / n;
      if (n < 2) {
        return new Spread(mean, Double.NaN);
      }
      double ss = 0;
      for (CellScore c : cells) {
        double d = f.applyAsDouble(c) - mean;
        ss += d * d;
      }
      return new Spread(mean, Math.sqrt(ss / (n - 1)));
    }
  }

  /** The row of {@code cells} (the replicates of one variant, setting and CFG scale). */
  public static RowScore of(List<CellScore> cells) {
    if (cells.isEmpty()) {
      throw new IllegalArgumentException("a row needs at least one replicate");
    }
    CellScore first = cells.get(0);
    List<String> warnings = new ArrayList<>();
    for (CellScore c : cells) {
      for (String w : c.warnings()) {
        warnings.add(cells.size() == 1 ? w : "replicate " + c.replicate() + ": " + w);
      }
    }
    return new RowScore(
        first.variant(),
        first.objective(),
        first.setting(),
        first.cfgScale(),
        cells.size(),
        Spread.of(cells, CellScore::fid),
        Spread.of(cells, CellScore::isMean),
        Spread.of(cells, CellScore::kid),
        Spread.of(cells, CellScore::precision),
        Spread.of(cells, CellScore::recall),
        Spread.of(cells, CellScore::density),
        Spread.of(cells, CellScore::coverage),
        Spread.of(cells, CellScore::fidInfinity),
        Spread.of(cells, CellScore::fidStd).mean(),
        Spread.of(cells, CellScore::isStd).mean(),
        Spread.of(cells, CellScore::kidStd).mean(),
        first.featureNetwork(),
        first.samples(),
        first.trainSteps(),
        Spread.of(cells, CellScore::trainSeconds).mean(),
        List.copyOf(cells),
        List.copyOf(new LinkedHashSet<>(warnings)),
        first.card() == null ? 0 : first.card().evaluations(),
        cells.stream()
            .mapToDouble(CellScore::imagesPerSecond)
            .filter(Double::isFinite)
            .average()
            .orElse(Double.NaN));
  }

  /** A short label such as {@code sp @ ddim-20 cfg 2.0}. */
  public String label() {
    return variant + " @ " + setting + " cfg " + cfgScale;
  }
}
