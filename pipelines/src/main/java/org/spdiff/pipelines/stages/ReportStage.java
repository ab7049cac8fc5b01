package org.spdiff.pipelines.stages;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.spdiff.metrics.compare.Difference;
import org.spdiff.metrics.compare.VariantVerdict;
import org.spdiff.metrics.compare.Verdicts;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.dag.Plan.Cell;
import org.spdiff.pipelines.dag.Provenance;
import org.spdiff.pipelines.dag.StageKey;
import org.spdiff.pipelines.report.ArmComparison;
import org.spdiff.pipelines.report.CellScore;
import org.spdiff.pipelines.report.LossCurve;
import org.spdiff.pipelines.report.ReportWriter;
import org.spdiff.pipelines.report.RowScore;
import org.spdiff.pipelines.store.ArtifactStore;
import org.spdiff.pipelines.store.Attempt;

/**
 * The final step: every cell's score (computed now or read from the store) into {@code table.md},
 * {@code table.csv}, {@code scores.json} and {@code report.html} under {@code
 * <store>/report/<key>/}, copied to {@code <store>/experiments/<name>/} as the latest report of the
 * experiment.
 */
public final class ReportStage {
  public static final String LATEST = "experiments";

  private ReportStage() {}

  /** Where the latest report of an experiment is copied. */
  public static String latestDir(ArtifactStore store, String experiment) {
    return store.root() + "/" + LATEST + "/" + experiment;
  }

  public static final class ReportFn extends DoFn<KV<String, Iterable<CellScore>>, String> {
    private final Plan plan;
    private final ArtifactStore store;
    private final PCollectionView<List<ArmComparison>> comparisons;

    public ReportFn(
        Plan plan, ArtifactStore store, PCollectionView<List<ArmComparison>> comparisons) {
      this.plan = plan;
      this.store = store;
      this.comparisons = comparisons;
    }

    @ProcessElement
    public void process(ProcessContext c) throws Exception {
      Map<String, CellScore> byKey = new HashMap<>();
      for (CellScore s : c.element().getValue()) {
        byKey.put(s.scoreKey(), s);
      }
      c.output(write(plan, store, byKey, c.sideInput(comparisons)));
    }
  }

  /** Writes the report; returns its folder. */
  public static String write(
      Plan plan, ArtifactStore store, Map<String, CellScore> byKey, List<ArmComparison> compared)
      throws Exception {
    List<RowScore> rows = new ArrayList<>();
    Map<String, byte[]> grids = new LinkedHashMap<>();
    for (Plan.Row row : plan.rows()) {
      List<CellScore> cells = new ArrayList<>();
      for (Cell cell : row.replicates()) {
        CellScore s = byKey.get(cell.scoreKey());
        if (s == null) {
          throw new IllegalStateException(
              "no score for " + cell.label() + " (" + cell.scoreKey() + ")");
        }
        cells.add(s);
      }
      rows.add(RowScore.of(cells));
      // The grid of the row's first replicate.
      Cell first = row.replicates().get(0);
      store
          .read(Plan.GENERATE, first.generateKey(), GenerateStage.GRID)
          .ifPresent(g -> grids.put(row.label(), g));
    }
    checkProvenanceChain(plan, store);
    List<ArmComparison> comparisons = new ArrayList<>();
    for (Plan.Comparison c : plan.comparisons()) {
      comparisons.add(
          compared.stream()
              .filter(x -> x.key().equals(c.key()))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no comparison " + c.label())));
    }
    comparisons = decideVerdicts(comparisons);
    List<LossCurve> curves = new ArrayList<>();
    curve(store, Plan.TEACHER, plan.teacherKey(), plan.spec().teacher().name())
        .ifPresent(curves::add);
    for (Plan.VariantStage v : plan.variants()) {
      curve(store, Plan.VARIANT, v.key(), v.label()).ifPresent(curves::add);
    }
    String config =
        StageKey.CANONICAL
            .copy()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .writeValueAsString(plan.spec());
    Map<String, byte[]> files =
        ReportWriter.render(
            plan.spec().name(), config, plan.spec().control(), rows, comparisons, curves, grids);
    String key = plan.reportKey();
    String latest = latestDir(store, plan.spec().name());
    Attempt attempt = store.attempt(Plan.REPORT, key);
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      attempt.write(f.getKey(), f.getValue());
      ArtifactStore.writeFile(latest + "/" + f.getKey(), f.getValue());
    }
    for (Map.Entry<String, byte[]> g : grids.entrySet()) {
      String name = "grids/" + g.getKey().replaceAll("[^A-Za-z0-9._=-]+", "_") + ".png";
      ArtifactStore.writeFile(latest + "/" + name, g.getValue());
    }
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("rows", rows.size());
    results.put("comparisons", comparisons.size());
    Map<String, String> consumed = new java.util.TreeMap<>();
    for (Cell cell : plan.cells()) {
      consumed.putAll(Provenance.consumed(store, Plan.SCORE, cell.scoreKey()));
    }
    for (Plan.Comparison c : plan.comparisons()) {
      consumed.putAll(Provenance.consumed(store, Plan.COMPARE, c.key()));
    }
    attempt.publish(
        Provenance.json(
            Plan.REPORT,
            key,
            Map.of("experiment", plan.spec().name()),
            upstreamOf(plan),
            results,
            consumed));
    return store.dir(Plan.REPORT, key);
  }

  /**
   * Every key of the study must still hold what the keys downstream of it consumed (the content
   * hashes recorded in their markers): a table is never made of artifacts from different lineages.
   *
   * @throws IllegalStateException listing each broken link
   */
  static void checkProvenanceChain(Plan plan, ArtifactStore store) {
    List<String[]> keys = new ArrayList<>();
    keys.add(new String[] {Plan.FEATURES, plan.featuresKey()});
    keys.add(new String[] {Plan.REFSTATS, plan.refKey()});
    keys.add(new String[] {Plan.TEACHER, plan.teacherKey()});
    plan.variants().forEach(v -> keys.add(new String[] {Plan.VARIANT, v.key()}));
    for (Cell c : plan.cells()) {
      keys.add(new String[] {Plan.GENERATE, c.generateKey()});
      keys.add(new String[] {Plan.SCORE, c.scoreKey()});
    }
    plan.comparisons().forEach(c -> keys.add(new String[] {Plan.COMPARE, c.key()}));
    List<String> broken = new ArrayList<>();
    for (String[] k : keys) {
      if (store.isComplete(k[0], k[1])) {
        broken.addAll(store.checkConsumed(k[0], k[1]));
      }
    }
    if (!broken.isEmpty()) {
      throw new IllegalStateException(
          "provenance chain broken in store "
              + store.root()
              + ": "
              + String.join("; ", broken)
              + " (`spdiff verify "
              + store.root()
              + " --quarantine=true` sets damaged keys aside; delete or quarantine the downstream"
              + " key to recompute it)");
    }
  }

  /**
   * The verdict of every comparison on FID: Holm's correction over the variants compared with the
   * control at the same sampling setting and CFG scale (the family), at a family-wise 5%.
   */
  public static List<ArmComparison> decideVerdicts(List<ArmComparison> comparisons) {
    Map<String, Map<String, Difference>> families = new LinkedHashMap<>();
    for (ArmComparison c : comparisons) {
      Difference fid = c.difference("FID");
      if (c.cardDifferences().isEmpty() && fid != null) {
        families
            .computeIfAbsent(c.setting() + "@" + c.cfgScale(), k -> new LinkedHashMap<>())
            .put(c.variant(), fid);
      }
    }
    List<ArmComparison> out = new ArrayList<>();
    for (ArmComparison c : comparisons) {
      Map<String, Difference> family = families.get(c.setting() + "@" + c.cfgScale());
      if (family == null || !family.containsKey(c.variant())) {
        out.add(c.withVerdict(ArmComparison.NOT_COMPARABLE, Double.NaN, c.note()));
        continue;
      }
      VariantVerdict v = Verdicts.holm(family).get(c.variant());
      out.add(c.withVerdict(v.verdict().toString(), v.adjustedP(), v.note()));
    }
    return out;
  }

  private static List<String> upstreamOf(Plan plan) {
    List<String> out = new ArrayList<>(plan.cells().stream().map(Cell::scoreKey).toList());
    plan.comparisons().forEach(c -> out.add(c.key()));
    return out;
  }

  private static Optional<LossCurve> curve(
      ArtifactStore store, String stage, String key, String name) {
    return store
        .read(stage, key, "loss.csv")
        .map(b -> LossCurve.parseCsv(name, new String(b, StandardCharsets.UTF_8)));
  }
}
