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
import org.spdiff.metrics.compare.CellProfile;
import org.spdiff.metrics.compare.CellProfiles;
import org.spdiff.metrics.compare.ComparisonReference;
import org.spdiff.metrics.compare.ComparisonSettings;
import org.spdiff.metrics.compare.Metric;
import org.spdiff.metrics.fid.FidInfinity;
import org.spdiff.metrics.fid.FidResult;
import org.spdiff.metrics.fid.FidSpread;
import org.spdiff.metrics.fid.FrechetReference;
import org.spdiff.metrics.fid.PerClassFid;
import org.spdiff.metrics.io.StatsNpz;
import org.spdiff.metrics.linalg.LibtorchMultiplier;
import org.spdiff.metrics.stats.FeatureMatrix;
import org.spdiff.metrics.stats.FeatureMoments;
import org.spdiff.metrics.stats.FeatureStats;
import org.spdiff.metrics.stats.InceptionScore;
import org.spdiff.metrics.stats.PerClassInceptionScore;
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
import org.spdiff.pipelines.report.ReportJson;
import org.spdiff.pipelines.store.ArtifactStore;
import org.spdiff.pipelines.store.Attempt;

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
    private transient ComparisonReference reference;
    private transient Map<Integer, FrechetReference> classReferences;

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
      FeatureMatrix fm = FeatureMatrix.of(features);
      double[][] ld =
          logits.length > 0 && logits[0].length > 0 ? FloatMatrix.toDouble(logits) : null;
      List<String> warnings = new ArrayList<>();
      // Every statistic of the cell on all samples and with each jackknife fold deleted: what the
      // paired comparisons need later, with no further pass over the features.
      CellProfile profile =
          CellProfiles.compute(
              reference, fm, sc.is() ? ld : null, settings(sc), LibtorchMultiplier.INSTANCE);
      warnings.addAll(profile.warnings());
      double fid = profile.value(Metric.FID);
      double fidStd = Double.NaN;
      if (sc.fidSplits() > 1) {
        SplitScore spread =
            FidSpread.compute(
                reference.fid(), FidSpread.split(FloatMatrix.toDouble(features), sc.fidSplits()));
        fidStd = spread.std();
      }
      SplitScore is = profile.inceptionScore();
      SplitScore kid = profile.kid();
      double precision = value(profile, Metric.PRECISION);
      double recall = value(profile, Metric.RECALL);
      double density = value(profile, Metric.DENSITY);
      double coverage = value(profile, Metric.COVERAGE);
      FidInfinity inf = profile.fidInfinity();
      List<CellScore.ClassScore> perClass = new ArrayList<>();
      int classes = numClasses(cell);
      // Samples given the null class have no class of their own: no per-class scores for them.
      if (sc.perClass()
          && classes > 0
          && !cell.setting().unconditional()
          && !classReferences.isEmpty()) {
        int[] labels = new int[features.length];
        for (int i = 0; i < labels.length; i++) {
          labels[i] = i % classes;
        }
        Map<Integer, FidResult> byClass =
            PerClassFid.compute(fm, labels, classReferences, LibtorchMultiplier.INSTANCE);
        Map<Integer, SplitScore> isByClass =
            ld == null
                ? Map.of()
                : PerClassInceptionScore.compute(
                    ld, labels, Math.min(sc.isSplits(), 10), InceptionScore.DEFAULT_SEED);
        for (Map.Entry<Integer, FidResult> e : byClass.entrySet()) {
          SplitScore ci = isByClass.get(e.getKey());
          int count = 0;
          for (int l : labels) {
            count += l == e.getKey() ? 1 : 0;
          }
          perClass.add(
              new CellScore.ClassScore(
                  e.getKey(), count, e.getValue().value(), ci == null ? Double.NaN : ci.mean()));
        }
      }
      double fidInfinity = inf == null ? Double.NaN : inf.value();
      double fidInfinityResidual = inf == null ? Double.NaN : inf.residual();
      if (!sc.fidInfinity()) {
        fidInfinity = Double.NaN;
        fidInfinityResidual = Double.NaN;
      }
      double isMean = is == null ? Double.NaN : is.mean();
      double isStd = is == null ? Double.NaN : is.std();
      double kidMean = kid == null || !sc.kid() ? Double.NaN : kid.mean();
      double kidStd = kid == null || !sc.kid() ? Double.NaN : kid.std();
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
              kidMean,
              kidStd,
              precision,
              recall,
              density,
              coverage,
              fidInfinity,
              fidInfinityResidual,
              List.copyOf(perClass),
              featureNetwork,
              features.length,
              variantMarker.path("results").path("steps").asInt(),
              variantMarker.path("results").path("seconds").asDouble(Double.NaN),
              cell.scoreKey(),
              card,
              profile,
              List.copyOf(new java.util.LinkedHashSet<>(warnings)),
              GenerateStage.imagesPerSecond(store, plan, cell));
      int[] all = new int[features.length];
      java.util.Arrays.setAll(all, i -> i);
      FeatureStats stats = FeatureStats.of(fm, all, LibtorchMultiplier.INSTANCE);
      writeOutputs(cell, stats, features, logits, score);
      Progress.note(
          "score " + cell.label(),
          String.format(
              Locale.ROOT,
              "FID %.3f +- %.3f, IS %.3f +- %.3f, KID %.5f, precision %.3f, recall %.3f;"
                  + " generated at %.2f images/s, NFE %d",
              fid,
              fidStd,
              isMean,
              isStd,
              kidMean,
              precision,
              recall,
              score.imagesPerSecond(),
              card.evaluations()));
      return score;
    }

    private void writeOutputs(
        Cell cell, FeatureStats stats, float[][] features, float[][] logits, CellScore score)
        throws IOException {
      ExperimentSpec spec = plan.spec();
      GenerateStage.writeGrid(store, plan, cell);
      // Row-aligned with the samples (row i is sample i): what comparisons pair across cells.
      Attempt attempt = store.attempt(Plan.SCORE, cell.scoreKey());
      attempt.write(FEATURES, FloatMatrix.encode(features));
      attempt.write(LOGITS, FloatMatrix.encode(logits));
      Path tmp = Files.createTempFile("spdiff-stats-", ".npz");
      try {
        StatsNpz.write(tmp, stats.moments());
        attempt.write("stats.npz", Files.readAllBytes(tmp));
      } finally {
        Files.deleteIfExists(tmp);
      }
      attempt.write(SCORE_JSON, ReportJson.WRITER.writeValueAsBytes(score));
      GenerateStage.markGenerated(store, plan, cell);
      Map<String, Object> results = new LinkedHashMap<>();
      results.put("score", score);
      Map<String, String> consumed = new java.util.TreeMap<>();
      consumed.putAll(Provenance.consumed(store, Plan.GENERATE, cell.generateKey()));
      consumed.putAll(Provenance.consumed(store, Plan.REFSTATS, plan.refKey()));
      consumed.putAll(Provenance.consumed(store, Plan.FEATURES, plan.featuresKey()));
      if (attempt.publish(
          Provenance.json(
              Plan.SCORE,
              cell.scoreKey(),
              spec.scoring(),
              List.of(cell.generateKey(), plan.refKey(), plan.featuresKey()),
              results,
              consumed))) {
        StageCounters.computed(Plan.SCORE).inc();
      } else {
        StageCounters.cached(Plan.SCORE).inc();
      }
    }

    private void loadReference() throws IOException {
      if (reference != null) {
        return;
      }
      ScoringSpec sc = plan.spec().scoring();
      FrechetReference fid =
          FrechetReference.of(
              readNpz(
                  store.require(Plan.REFSTATS, plan.refKey(), RefStatsStage.STATS),
                  store.path(Plan.REFSTATS, plan.refKey(), RefStatsStage.STATS)));
      FeatureMatrix rows =
          FeatureMatrix.of(
              FloatMatrix.decode(
                  store.require(Plan.REFSTATS, plan.refKey(), RefStatsStage.PRDC_FEATURES)));
      reference =
          ComparisonReference.of(
              fid,
              rows,
              plan.spec().generation().samples(),
              sc.seed(),
              sc.prdcK(),
              sc.dcK(),
              settings(sc),
              LibtorchMultiplier.INSTANCE);
      Map<Integer, FeatureMoments> moments = new java.util.TreeMap<>();
      for (String f : store.list(Plan.REFSTATS, plan.refKey(), "classes/")) {
        // Listing is flat: names under classes/ are ref-<k>.npz.
        int label = Integer.parseInt(f.replaceAll("\\D", ""));
        moments.put(
            label,
            readNpz(
                store.require(Plan.REFSTATS, plan.refKey(), RefStatsStage.classStats(label)),
                store.path(Plan.REFSTATS, plan.refKey(), RefStatsStage.classStats(label))));
      }
      classReferences = moments.isEmpty() ? Map.of() : PerClassFid.references(moments);
    }

    private int numClasses(Cell cell) throws IOException {
      JsonNode m =
          StageKey.CANONICAL.readTree(
              store.require(Plan.VARIANT, cell.variantKey(), ArtifactStore.MARKER));
      return m.path("config").path("unet").path("numClasses").asInt(0);
    }
  }

  /** The per-cell estimator settings of a study (the same for every cell, so cells pair). */
  public static ComparisonSettings settings(ScoringSpec sc) {
    return ComparisonSettings.defaults()
        .withFolds(sc.folds())
        .withIsSplits(sc.isSplits())
        .withKid(sc.kidSubsets(), sc.kidSubsetSize());
  }

  private static double value(CellProfile p, Metric m) {
    return p.metrics().containsKey(m) ? p.value(m) : Double.NaN;
  }

  /**
   * Moments from {@code .npz} bytes (through a temporary file, removed whatever happens); a failure
   * names {@code where} (the store file), not the temporary copy.
   */
  static FeatureMoments readNpz(byte[] bytes, String where) throws IOException {
    Path tmp = Files.createTempFile("spdiff-npz-", ".npz");
    try {
      Files.write(tmp, bytes);
      return StatsNpz.read(tmp);
    } catch (IOException | RuntimeException e) {
      IOException named = new IOException("cannot read " + where + ": " + e.getMessage());
      named.addSuppressed(e);
      throw named;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Reads the score of a cell that is already complete in the store. */
  public static CellScore cached(ArtifactStore store, Cell cell) throws IOException {
    return ReportJson.READER.readValue(
        store.require(Plan.SCORE, cell.scoreKey(), SCORE_JSON), CellScore.class);
  }
}
