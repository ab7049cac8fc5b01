package org.spdiff.metrics.compare;

import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.spdiff.metrics.linalg.MatrixMultiplier;
import org.spdiff.metrics.prdc.Prdc;
import org.spdiff.metrics.prdc.PrdcFolds;
import org.spdiff.metrics.stats.FeatureMatrix;
import org.spdiff.metrics.stats.SplitScore;

/**
 * Computes a {@link CellProfile}: all comparison statistics of one generated set against a {@link
 * ComparisonReference}, each on all samples and with each fold deleted.
 *
 * <p>Cost per cell (measured by ComparisonBenchmark): FID G + 1 Fréchet distances plus one pass of
 * products, FID-infinity one more Fréchet distance per grid point below n; PRDC two (n, n, d) Gram
 * products; KID nothing more when it shares the PRDC rows ({@link ComparisonReference#of}), else
 * two (m, m, d) products per subset; IS one pass over the logits.
 */
public final class CellProfiles {
  private CellProfiles() {}

  /**
   * @param reference the shared reference side
   * @param features the generated rows (n, d)
   * @param logits (n, C) classifier logits for IS, or null
   * @param settings folds and estimator parameters
   * @param products engine for products (libtorch in production)
   */
  public static CellProfile compute(
      ComparisonReference reference,
      FeatureMatrix features,
      double[][] logits,
      ComparisonSettings settings,
      MatrixMultiplier products) {
    int n = features.rows();
    if (logits != null && logits.length != n) {
      throw new IllegalArgumentException(logits.length + " logit rows for " + n + " feature rows");
    }
    PairedFolds folds = PairedFolds.of(n, settings.folds(), settings.foldSeed());
    Map<Metric, JackknifeProfile> out = new EnumMap<>(Metric.class);
    LinkedHashSet<String> warnings = new LinkedHashSet<>();
    FidJackknife.Result fid = FidJackknife.profile(reference.fid(), features, folds, products);
    out.put(Metric.FID, fid.profile());
    warnings.addAll(fid.warnings());
    warnings.addAll(fid.infinity().warnings());
    SplitScore is = null;
    if (logits != null) {
      InceptionScoreJackknife.Result r =
          InceptionScoreJackknife.profile(logits, folds, settings.isSplits(), settings.isSeed());
      out.put(Metric.IS, r.profile());
      is = r.score();
      warnings.addAll(r.score().warnings());
    }
    SplitScore kid = null;
    KidGramAccumulator fused = null;
    if (reference.kid() != null && reference.kidSharesPrdcRows()) {
      fused = new KidGramAccumulator(reference.kid(), features, folds);
    } else if (reference.kid() != null) {
      KidJackknife.Result r = KidJackknife.profile(reference.kid(), features, folds, products);
      out.put(Metric.KID, r.profile());
      kid = r.score();
      warnings.addAll(r.score().warnings());
    }
    if (reference.prdc() != null) {
      PrdcFolds p =
          Prdc.computeWithFolds(
              reference.prdc(), features, folds.foldOfAll(), folds.groups(), fused);
      out.put(Metric.PRECISION, prdcProfile(Metric.PRECISION, p, folds));
      out.put(Metric.RECALL, prdcProfile(Metric.RECALL, p, folds));
      out.put(Metric.DENSITY, prdcProfile(Metric.DENSITY, p, folds));
      out.put(Metric.COVERAGE, prdcProfile(Metric.COVERAGE, p, folds));
    }
    if (fused != null) {
      KidJackknife.Result r = fused.result();
      out.put(Metric.KID, r.profile());
      kid = r.score();
      warnings.addAll(r.score().warnings());
    }
    return new CellProfile(
        n, folds.groups(), folds.seed(), out, fid.infinity(), is, kid, List.copyOf(warnings));
  }

  private static JackknifeProfile prdcProfile(Metric m, PrdcFolds p, PairedFolds folds) {
    double[] deleted = new double[folds.groups()];
    for (int g = 0; g < deleted.length; g++) {
      deleted[g] = pick(m, p.withoutFold().get(g));
    }
    return JackknifeProfile.of(m, pick(m, p.full()), deleted, folds);
  }

  private static double pick(Metric m, Prdc p) {
    return switch (m) {
      case PRECISION -> p.precision();
      case RECALL -> p.recall();
      case DENSITY -> p.density();
      case COVERAGE -> p.coverage();
      default -> throw new IllegalArgumentException(m + " is not a PRDC metric");
    };
  }
}
