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
 * <p>Cost at n = 10,000, d = 2048 on 2 cores (see ComparisonBenchmark): FID G + 1 eigenvalue
 * problems plus one pass of products; PRDC two (n, n, d) Gram products; KID three (m, m, d)
 * products per subset; IS a pass over the logits.
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
    SplitScore is = null;
    if (logits != null) {
      InceptionScoreJackknife.Result r =
          InceptionScoreJackknife.profile(logits, folds, settings.isSplits(), settings.isSeed());
      out.put(Metric.IS, r.profile());
      is = r.score();
      warnings.addAll(r.score().warnings());
    }
    SplitScore kid = null;
    if (reference.kid() != null) {
      KidJackknife.Result r =
          KidJackknife.profile(
              features,
              reference.kid(),
              folds,
              settings.kidSubsets(),
              settings.kidSubsetSize(),
              settings.kidSeed(),
              products);
      out.put(Metric.KID, r.profile());
      kid = r.score();
      warnings.addAll(r.score().warnings());
    }
    if (reference.prdc() != null) {
      PrdcFolds p =
          Prdc.computeWithFolds(reference.prdc(), features, folds.foldOfAll(), folds.groups());
      out.put(Metric.PRECISION, prdcProfile(Metric.PRECISION, p, folds));
      out.put(Metric.RECALL, prdcProfile(Metric.RECALL, p, folds));
      out.put(Metric.DENSITY, prdcProfile(Metric.DENSITY, p, folds));
      out.put(Metric.COVERAGE, prdcProfile(Metric.COVERAGE, p, folds));
    }
    return new CellProfile(n, folds.groups(), folds.seed(), out, is, kid, List.copyOf(warnings));
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
