package org.spdiff.pipelines.stages;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.spdiff.metrics.compare.CellProfile;
import org.spdiff.metrics.compare.Difference;
import org.spdiff.metrics.compare.Metric;
import org.spdiff.metrics.compare.PairedComparison;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.dag.Plan.Cell;
import org.spdiff.pipelines.dag.Provenance;
import org.spdiff.pipelines.report.ArmComparison;
import org.spdiff.pipelines.report.CellScore;
import org.spdiff.pipelines.report.ReportJson;
import org.spdiff.pipelines.store.ArtifactStore;
import org.spdiff.pipelines.store.Attempt;

/**
 * Every variant against the control at the same sampling setting and CFG scale: the cells' scores
 * in, one {@link ArmComparison} per {@link Plan.Comparison} out. Replicate r of the variant is
 * paired with replicate r of the control (same training seed by default), and sample i with sample
 * i (same noise and class): the differences and their intervals come from the cells' jackknife
 * profiles ({@link PairedComparison}), so no features are read again. Two arms whose evaluation
 * cards differ in anything but the arm are not compared; the comparison says which field differs.
 * Verdicts are decided in the report (Holm, over the variants compared at one setting and CFG
 * scale).
 */
public final class CompareArms
    extends PTransform<PCollection<CellScore>, PCollection<ArmComparison>> {
  public static final String COMPARISON_JSON = "comparison.json";

  private final Plan plan;
  private final ArtifactStore store;

  private CompareArms(Plan plan, ArtifactStore store) {
    this.plan = plan;
    this.store = store;
  }

  public static CompareArms of(Plan plan, ArtifactStore store) {
    return new CompareArms(plan, store);
  }

  @Override
  public PCollection<ArmComparison> expand(PCollection<CellScore> scores) {
    return scores
        .apply("ByComparison", ParDo.of(new ByComparisonFn(plan)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(CellScore.class)))
        .apply("GatherPairs", GroupByKey.create())
        .apply("Compare", ParDo.of(new CompareFn(plan, store)))
        .setCoder(SerializableCoder.of(ArmComparison.class));
  }

  /** Sends each cell's score to every comparison it takes part in. */
  static final class ByComparisonFn extends DoFn<CellScore, KV<String, CellScore>> {
    private final Plan plan;

    ByComparisonFn(Plan plan) {
      this.plan = plan;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      String key = c.element().scoreKey();
      for (Plan.Comparison cmp : plan.comparisons()) {
        if (cellsOf(cmp).stream().anyMatch(x -> x.scoreKey().equals(key))) {
          c.output(KV.of(cmp.key(), c.element()));
        }
      }
    }
  }

  /** The cells a comparison pairs: the first {@code pairs} replicates of each side. */
  static List<Cell> cellsOf(Plan.Comparison cmp) {
    List<Cell> out = new ArrayList<>();
    out.addAll(cmp.control().replicates().subList(0, cmp.pairs()));
    out.addAll(cmp.variant().replicates().subList(0, cmp.pairs()));
    return out;
  }

  /** Computes (or reads back) one comparison. */
  static final class CompareFn extends DoFn<KV<String, Iterable<CellScore>>, ArmComparison> {
    private final Plan plan;
    private final ArtifactStore store;

    CompareFn(Plan plan, ArtifactStore store) {
      this.plan = plan;
      this.store = store;
    }

    @ProcessElement
    public void process(ProcessContext c) throws Exception {
      Plan.Comparison cmp =
          plan.comparisons().stream()
              .filter(x -> x.key().equals(c.element().getKey()))
              .findFirst()
              .orElseThrow(
                  () -> new IllegalStateException("no comparison " + c.element().getKey()));
      Map<String, CellScore> byKey = new HashMap<>();
      c.element().getValue().forEach(s -> byKey.put(s.scoreKey(), s));
      c.output(compare(plan, store, cmp, byKey));
    }
  }

  /** Computes one comparison from its cells' scores, or reads it back when complete. */
  public static ArmComparison compare(
      Plan plan, ArtifactStore store, Plan.Comparison cmp, Map<String, CellScore> byKey)
      throws Exception {
    if (store.isComplete(Plan.COMPARE, cmp.key())) {
      StageCounters.cached(Plan.COMPARE).inc();
      return ReportJson.READER.readValue(
          store.require(Plan.COMPARE, cmp.key(), COMPARISON_JSON), ArmComparison.class);
    }
    List<CellProfile> control = new ArrayList<>();
    List<CellProfile> variant = new ArrayList<>();
    List<String> cardDifferences = new ArrayList<>();
    for (int r = 0; r < cmp.pairs(); r++) {
      CellScore a = need(byKey, cmp.control().replicates().get(r));
      CellScore b = need(byKey, cmp.variant().replicates().get(r));
      for (String d : a.card().differences(b.card())) {
        if (!cardDifferences.contains(d)) {
          cardDifferences.add(d);
        }
      }
      control.add(a.profile());
      variant.add(b.profile());
    }
    List<Difference> differences = new ArrayList<>();
    String note = "";
    if (cardDifferences.isEmpty()) {
      Map<Metric, Difference> d = PairedComparison.compare(control, variant);
      differences.addAll(d.values());
      Difference fid = d.get(Metric.FID);
      note = fid == null ? "" : fid.note();
    }
    ArmComparison out =
        new ArmComparison(
            cmp.variant().variant(),
            cmp.control().variant(),
            cmp.variant().setting().label(),
            cmp.variant().cfgScale(),
            cmp.pairs(),
            List.copyOf(differences),
            "variant minus control, 95% t-interval: jackknife over paired folds of sample indices"
                + " (sample i has the same noise and class in both arms) plus the variance across"
                + " replicate pairs (replicate r of both arms shares its training seed)",
            List.copyOf(cardDifferences),
            cardDifferences.isEmpty() ? "" : ArmComparison.NOT_COMPARABLE,
            Double.NaN,
            note,
            cmp.key());
    Attempt attempt = store.attempt(Plan.COMPARE, cmp.key());
    attempt.write(COMPARISON_JSON, ReportJson.WRITER.writeValueAsBytes(out));
    Map<String, Object> results = new LinkedHashMap<>();
    Difference fid = out.difference("FID");
    if (fid != null) {
      results.put("dFID", fid.estimate());
      results.put("lower", fid.lower());
      results.put("upper", fid.upper());
    }
    results.put("cardDifferences", cardDifferences);
    List<String> upstream = cellsOf(cmp).stream().map(Cell::scoreKey).toList();
    Map<String, String> consumed = new java.util.TreeMap<>();
    for (Cell cell : cellsOf(cmp)) {
      consumed.putAll(Provenance.consumed(store, Plan.SCORE, cell.scoreKey()));
    }
    if (!attempt.publish(
        Provenance.json(Plan.COMPARE, cmp.key(), cmp.label(), upstream, results, consumed))) {
      StageCounters.cached(Plan.COMPARE).inc();
      return ReportJson.READER.readValue(
          store.require(Plan.COMPARE, cmp.key(), COMPARISON_JSON), ArmComparison.class);
    }
    StageCounters.computed(Plan.COMPARE).inc();
    return out;
  }

  private static CellScore need(Map<String, CellScore> byKey, Cell cell) {
    CellScore s = byKey.get(cell.scoreKey());
    if (s == null) {
      throw new IllegalStateException(
          "comparison needs the score of " + cell.label() + " (" + cell.scoreKey() + ")");
    }
    if (s.profile() == null) {
      throw new IllegalStateException(
          "the stored score of "
              + cell.label()
              + " has no jackknife profile (scored by an older"
              + " version): delete "
              + cell.scoreKey()
              + " from the store to rescore it");
    }
    return s;
  }
}
