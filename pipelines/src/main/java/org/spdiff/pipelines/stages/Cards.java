package org.spdiff.pipelines.stages;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.spdiff.core.sampling.Samplers;
import org.spdiff.core.schedule.NoiseSchedules;
import org.spdiff.metrics.inception.ResizeMethod;
import org.spdiff.metrics.stats.InceptionScore;
import org.spdiff.metrics.stats.KernelInceptionDistance;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.dag.Plan.Cell;
import org.spdiff.pipelines.experiment.ExperimentSpec;
import org.spdiff.pipelines.experiment.ExperimentSpec.ScoringSpec;
import org.spdiff.pipelines.report.EvaluationCard;

/**
 * Builds the {@link EvaluationCard} of a cell from the plan and the markers of its upstream keys.
 */
public final class Cards {
  private Cards() {}

  /**
   * @param featureNetwork the feature network's id (from its stage's marker)
   * @param refResults the reference statistics' recorded results
   * @param variantMarker the trained model's marker
   */
  public static EvaluationCard of(
      Plan plan, Cell cell, String featureNetwork, JsonNode refResults, JsonNode variantMarker) {
    ExperimentSpec spec = plan.spec();
    var g = spec.generation();
    return new EvaluationCard(
        g.samples(),
        "train",
        refResults.path("count").asLong(),
        plan.refKey(),
        refResults.path("prdcReferenceCount").asInt(0),
        featureNetwork,
        resize(spec),
        cell.setting().sampler(),
        cell.setting().steps(),
        cell.setting().spacing(),
        cell.setting().eta(),
        cell.setting().precision(),
        evaluations(plan, cell),
        cell.cfgScale(),
        g.guidanceRescale(),
        g.clipX0(),
        g.ema(),
        g.seed(),
        variantMarker.path("config").path("unet").path("numClasses").asInt(0),
        cell.setting().labels(),
        spec.teacher().seed(),
        estimators(spec.scoring()),
        cell.variant(),
        spec.variant(cell.variant()).objective(),
        cell.replicate(),
        plan.variantByKey(cell.variantKey()).seed(),
        cell.variantKey());
  }

  /** Network evaluations per image of a cell (the solver's NFE, times 2 with CFG). */
  public static int evaluations(Plan plan, Cell cell) {
    var sch = plan.spec().teacher().schedule();
    return Samplers.evaluations(
        StageConfigs.sampler(plan.spec().generation(), cell.setting(), cell.cfgScale()),
        NoiseSchedules.named(sch.name(), sch.timesteps(), sch.zeroTerminalSnr()));
  }

  /**
   * How images reach the feature network's input resolution: for Inception the study's {@code
   * features.resize} (its id, then what it does), for the domain classifier none.
   */
  static String resize(ExperimentSpec spec) {
    if (!spec.features().network().equals("inception")) {
      return "none (the domain classifier runs at the data's resolution)";
    }
    ResizeMethod m = ResizeMethod.parse(spec.features().resize());
    return m.id() + " (" + m.description() + ")";
  }

  /** Every estimator with its parameters. */
  static Map<String, Object> estimators(ScoringSpec s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fid", s.fid() ? "frechet, float64, splits=" + s.fidSplits() : "off");
    m.put(
        "is",
        s.is()
            ? "splits=" + s.isSplits() + ", shuffled, seed=" + InceptionScore.DEFAULT_SEED
            : "off");
    m.put(
        "kid",
        s.kid()
            ? "cubic polynomial kernel, subsets="
                + s.kidSubsets()
                + ", size="
                + s.kidSubsetSize()
                + ", seed="
                + KernelInceptionDistance.DEFAULT_SEED
            : "off");
    m.put("prdc", "k=" + s.prdcK() + " (precision, recall), k=" + s.dcK() + " (density, coverage)");
    m.put("fidInfinity", s.fidInfinity() ? "on" : "off");
    m.put("perClass", s.perClass() ? "on" : "off");
    m.put("intervals", "jackknife over " + s.folds() + " paired folds of sample indices");
    m.put("referenceSubsetSeed", s.seed());
    return m;
  }
}
