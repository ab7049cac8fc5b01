package org.spdiff.pipelines.stages;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.fid.FidResult;
import org.spdiff.metrics.fid.FidSpread;
import org.spdiff.metrics.fid.FrechetDistance;
import org.spdiff.metrics.fid.FrechetReference;
import org.spdiff.metrics.io.StatsNpz;
import org.spdiff.metrics.stats.FeatureStats;
import org.spdiff.metrics.stats.InceptionScore;
import org.spdiff.metrics.stats.KernelInceptionDistance;
import org.spdiff.metrics.stats.SplitScore;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.dag.Plan.Cell;
import org.spdiff.pipelines.dag.Progress;
import org.spdiff.pipelines.dag.Provenance;
import org.spdiff.pipelines.dag.StageKey;
import org.spdiff.pipelines.experiment.ExperimentSpec;
import org.spdiff.pipelines.experiment.ExperimentSpec.ScoringSpec;
import org.spdiff.pipelines.report.CellScore;
import org.spdiff.pipelines.report.EvaluationCard;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * Scoring: features of every generated shard, a fan-in per cell that restores sample order (so the
 * statistics are bitwise the same at any parallelism), then FID against the reference (with its
 * spread over disjoint splits), IS and KID. Writes {@code score.json}, the samples' {@code
 * stats.npz} (pytorch-fid format) and the cell's sample grid, and completes the cell's generate and
 * score keys.
 */
public final class ScoreStage {
  public static final String SCORE_JSON = "score.json";

  /** The cell's features, N x d float32, row i from sample i. */
  public static final String FEATURES = "features.f32";

  /** The cell's classifier logits, N x classes float32, row i from sample i. */
  public static final String LOGITS = "logits.f32";

  private ScoreStage() {}

  /** Features and logits of one shard of samples. */
  public static final class FeaturesFn
      extends DoFn<KV<String, SampleShard>, KV<String, ShardFeatures>> {
    private final Plan plan;
    private final ArtifactStore store;
    private final PCollectionView<String> featureNet;
    private transient FeatureExtractor net;

    /**
     * @param featureNet the completed feature network stage (waited for as a side input)
     */
    public FeaturesFn(Plan plan, ArtifactStore store, PCollectionView<String> featureNet) {
      this.plan = plan;
      this.store = store;
      this.featureNet = featureNet;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      if (net == null) {
        String key = c.sideInput(featureNet);
        if (!key.equals(plan.featuresKey())) {
          throw new IllegalStateException(
              "feature network " + key + " is not the plan's " + plan.featuresKey());
        }
        net = FeatureNetworks.open(plan.spec().features(), store, plan.featuresKey());
      }
      SampleShard s = c.element().getValue();
      int bs = plan.spec().features().batchSize();
      int n = s.images().length;
      float[][] f = new float[n][];
      float[][] l = new float[n][];
      for (int b = 0; b < n; b += bs) {
        int m = Math.min(bs, n - b);
        byte[][] batch = java.util.Arrays.copyOfRange(s.images(), b, b + m);
        FeatureExtractor.Outputs out = net.extract(batch, s.channels(), s.height(), s.width());
        System.arraycopy(out.features(), 0, f, b, m);
        System.arraycopy(out.logits(), 0, l, b, m);
      }
      StageCounters.of(StageCounters.IMAGES_SCORED).inc(n);
      c.output(KV.of(c.element().getKey(), new ShardFeatures(s.shard(), f, l)));
    }

    @Teardown
    public void teardown() {
      if (net != null) {
        net.close();
        net = null;
      }
    }
  }

  /**
   * Gathers the shards of a cell in shard order (the accumulator is keyed by shard index, so the
   * result does not depend on the order in which the runner combines partial results).
   */
  public static final class OrderedShardsFn
      extends Combine.CombineFn<
          ShardFeatures, TreeMap<Integer, ShardFeatures>, List<ShardFeatures>> {
    @Override
    public TreeMap<Integer, ShardFeatures> createAccumulator() {
      return new TreeMap<>();
    }

    @Override
    public TreeMap<Integer, ShardFeatures> addInput(
        TreeMap<Integer, ShardFeatures> acc, ShardFeatures in) {
      acc.put(in.shard(), in);
      return acc;
    }

    @Override
    public TreeMap<Integer, ShardFeatures> mergeAccumulators(
        Iterable<TreeMap<Integer, ShardFeatures>> accs) {
      TreeMap<Integer, ShardFeatures> out = new TreeMap<>();
      accs.forEach(out::putAll);
      return out;
    }

    @Override
    public List<ShardFeatures> extractOutput(TreeMap<Integer, ShardFeatures> acc) {
      return new ArrayList<>(acc.values());
    }
  }

  /** Scores one cell from its ordered shards. */
  public static final class ScoreCellFn extends DoFn<KV<String, List<ShardFeatures>>, CellScore> {
    private final Plan plan;
    private final ArtifactStore store;
    private final PCollectionView<String> refStats;
    private transient FrechetReference reference;
    private transient double[][] kidReference;

    /**
     * @param refStats the completed reference statistics stage (waited for as a side input)
     */
    public ScoreCellFn(Plan plan, ArtifactStore store, PCollectionView<String> refStats) {
      this.plan = plan;
      this.store = store;
      this.refStats = refStats;
    }

    @ProcessElement
    public void process(ProcessContext c) throws Exception {
      if (!c.sideInput(refStats).equals(plan.refKey())) {
        throw new IllegalStateException("reference statistics do not match the plan");
      }
      Cell cell = plan.cell(c.element().getKey());
      List<float[]> f = new ArrayList<>();
      List<float[]> l = new ArrayList<>();
      for (ShardFeatures s : c.element().getValue()) {
        f.addAll(List.of(s.features()));
        l.addAll(List.of(s.logits()));
      }
      c.output(score(cell, f.toArray(float[][]::new), l.toArray(float[][]::new)));
    }

    CellScore score(Cell cell, float[][] features, float[][] logits) throws Exception {
      ExperimentSpec spec = plan.spec();
      ScoringSpec sc = spec.scoring();
      int expected = spec.generation().samples();
      if (features.length != expected) {
        throw new IllegalStateException(
            cell.label()
                + ": "
                + features.length
                + " samples reached scoring, expected "
                + expected);
      }
      loadReference();
      double[][] fd = FloatMatrix.toDouble(features);
      FeatureStats stats = FeatureStats.of(fd);
      List<String> warnings = new ArrayList<>();
      double fid = Double.NaN;
      double fidStd = Double.NaN;
      if (sc.fid()) {
        FidResult r = FrechetDistance.compute(reference, stats);
        fid = r.value();
        warnings.addAll(r.warnings());
        if (sc.fidSplits() > 1) {
          SplitScore spread = FidSpread.compute(reference, FidSpread.split(fd, sc.fidSplits()));
          fidStd = spread.std();
        }
      }
      double isMean = Double.NaN;
      double isStd = Double.NaN;
      if (sc.is()) {
        SplitScore is =
            InceptionScore.compute(
                FloatMatrix.toDouble(logits), sc.isSplits(), true, InceptionScore.DEFAULT_SEED);
        isMean = is.mean();
        isStd = is.std();
        warnings.addAll(is.warnings());
      }
      double kid = Double.NaN;
      double kidStd = Double.NaN;
      if (sc.kid()) {
        int size = Math.min(sc.kidSubsetSize(), Math.min(fd.length, kidReference.length));
        SplitScore k =
            KernelInceptionDistance.compute(
                fd,
                kidReference,
                sc.kidSubsets(),
                size,
                KernelInceptionDistance.DEFAULT_SEED,
                org.spdiff.metrics.linalg.JavaMultiplier.INSTANCE);
        kid = k.mean();
        kidStd = k.std();
        warnings.addAll(k.warnings());
      }
      JsonNode variantMarker =
          StageKey.CANONICAL.readTree(
              store.require(Plan.VARIANT, cell.variantKey(), ArtifactStore.MARKER));
      JsonNode featureMarker =
          StageKey.CANONICAL.readTree(
              store.require(Plan.FEATURES, plan.featuresKey(), ArtifactStore.MARKER));
      JsonNode refMarker =
          StageKey.CANONICAL.readTree(
              store.require(Plan.REFSTATS, plan.refKey(), ArtifactStore.MARKER));
      var variant = spec.variant(cell.variant());
      String featureNetwork =
          featureMarker.path("results").path("id").asText(spec.features().network());
      EvaluationCard card =
          Cards.of(plan, cell, featureNetwork, refMarker.path("results"), variantMarker);
      CellScore score =
          new CellScore(
              cell.variant(),
              variant.objective(),
              cell.replicate(),
              cell.setting().label(),
              cell.cfgScale(),
              fid,
              fidStd,
              isMean,
              isStd,
              kid,
              kidStd,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              List.of(),
              featureNetwork,
              features.length,
              variantMarker.path("results").path("steps").asInt(),
              variantMarker.path("results").path("seconds").asDouble(Double.NaN),
              cell.scoreKey(),
              card,
              List.copyOf(new java.util.LinkedHashSet<>(warnings)));
      writeOutputs(cell, stats, features, logits, score);
      Progress.note(
          "score " + cell.label(),
          String.format(
              Locale.ROOT,
              "FID %.3f +- %.3f, IS %.3f +- %.3f, KID %.5f",
              fid,
              fidStd,
              isMean,
              isStd,
              kid));
      return score;
    }

    private void writeOutputs(
        Cell cell, FeatureStats stats, float[][] features, float[][] logits, CellScore score)
        throws IOException {
      ExperimentSpec spec = plan.spec();
      GenerateStage.writeGrid(store, plan, cell);
      // Row-aligned with the samples (row i is sample i): what comparisons pair across cells.
      store.write(Plan.SCORE, cell.scoreKey(), FEATURES, FloatMatrix.encode(features));
      store.write(Plan.SCORE, cell.scoreKey(), LOGITS, FloatMatrix.encode(logits));
      Path tmp = Files.createTempFile("spdiff-stats-", ".npz");
      StatsNpz.write(tmp, stats.moments());
      store.write(Plan.SCORE, cell.scoreKey(), "stats.npz", Files.readAllBytes(tmp));
      Files.delete(tmp);
      store.write(
          Plan.SCORE, cell.scoreKey(), SCORE_JSON, StageKey.CANONICAL.writeValueAsBytes(score));
      GenerateStage.markGenerated(store, plan, cell);
      Map<String, Object> results = new LinkedHashMap<>();
      results.put("score", score);
      store.markComplete(
          Plan.SCORE,
          cell.scoreKey(),
          Provenance.json(
              Plan.SCORE,
              cell.scoreKey(),
              spec.scoring(),
              List.of(cell.generateKey(), plan.refKey(), plan.featuresKey()),
              results));
      StageCounters.computed(Plan.SCORE).inc();
    }

    private void loadReference() throws IOException {
      if (reference != null) {
        return;
      }
      Path tmp = Files.createTempFile("spdiff-ref-", ".npz");
      Files.write(tmp, store.require(Plan.REFSTATS, plan.refKey(), RefStatsStage.STATS));
      reference = FrechetReference.of(StatsNpz.read(tmp));
      Files.delete(tmp);
      kidReference =
          FloatMatrix.toDouble(
              FloatMatrix.decode(
                  store.require(Plan.REFSTATS, plan.refKey(), RefStatsStage.KID_FEATURES)));
    }
  }

  /** Reads the score of a cell that is already complete in the store. */
  public static CellScore cached(ArtifactStore store, Cell cell) throws IOException {
    return StageKey.CANONICAL.readValue(
        store.require(Plan.SCORE, cell.scoreKey(), SCORE_JSON), CellScore.class);
  }
}
