package org.spdiff.metrics.fid;

import java.util.ArrayList;
import java.util.List;
import org.spdiff.metrics.stats.FeatureMoments;
import org.spdiff.metrics.stats.FeatureStats;

/**
 * The reference side of a Fréchet distance, precomputed once: {@code mu1} (d,), {@code Tr(S1)} and
 * a factor F with {@code S1 = F F^T} (d, d). Immutable; reuse it for every generated set scored
 * against the same reference.
 */
public final class FrechetReference {
  private final double[] mu;
  private final double trace;
  private final SymmetricFactor factor;
  private final List<String> warnings;
  private final FrechetEngine engine;

  private FrechetReference(
      double[] mu,
      double trace,
      SymmetricFactor factor,
      List<String> warnings,
      FrechetEngine engine) {
    this.mu = mu;
    this.trace = trace;
    this.factor = factor;
    this.warnings = List.copyOf(warnings);
    this.engine = engine;
  }

  /** Reference from moments (e.g. a pytorch-fid {@code .npz}) with the default engine. */
  public static FrechetReference of(FeatureMoments moments) {
    return of(moments, FrechetDistance.defaultEngine());
  }

  /**
   * Reference from moments.
   *
   * @throws IllegalArgumentException on non-finite values
   */
  public static FrechetReference of(FeatureMoments moments, FrechetEngine engine) {
    return build(moments, -1, engine);
  }

  /** Reference from accumulated statistics; warns when count <= d. */
  public static FrechetReference of(FeatureStats stats, FrechetEngine engine) {
    return build(stats.moments(), stats.count(), engine);
  }

  /** Reference from accumulated statistics with the default engine. */
  public static FrechetReference of(FeatureStats stats) {
    return of(stats, FrechetDistance.defaultEngine());
  }

  private static FrechetReference build(FeatureMoments m, long count, FrechetEngine engine) {
    int d = m.dim();
    FrechetDistance.requireFinite(m.mu(), "reference mu");
    double[] s = FrechetDistance.symmetricFlat(m.sigma(), "reference sigma");
    double trace = 0;
    for (int i = 0; i < d; i++) {
      trace += s[i * d + i];
    }
    List<String> warnings = new ArrayList<>();
    if (count >= 0) {
      FrechetDistance.sampleCountWarning("reference", count, d).ifPresent(warnings::add);
    }
    SymmetricFactor factor = engine.factor(s, d);
    if (warnings.isEmpty()) {
      warnings.addAll(factor.warnings());
    }
    return new FrechetReference(m.mu().clone(), trace, factor, warnings, engine);
  }

  /** Feature dimension d. */
  public int dim() {
    return mu.length;
  }

  /** Reference mean (d,), a copy. */
  public double[] mu() {
    return mu.clone();
  }

  /** {@code Tr(S1)}. */
  public double trace() {
    return trace;
  }

  /** The factor of S1. */
  SymmetricFactor factor() {
    return factor;
  }

  /** Warnings about the reference, copied into every result. */
  public List<String> warnings() {
    return warnings;
  }

  /** The engine used for the factor and for scores against this reference. */
  public FrechetEngine engine() {
    return engine;
  }
}
