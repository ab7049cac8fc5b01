package org.spdiff.pipelines.stages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.spdiff.core.data.ImageSet;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.Scores;
import org.spdiff.metrics.io.StatsNpz;
import org.spdiff.metrics.prdc.PrdcReference;
import org.spdiff.metrics.stats.FeatureStats;
import org.spdiff.metrics.stats.InceptionScore;
import org.spdiff.metrics.stats.SplitScore;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.dag.Progress;
import org.spdiff.pipelines.dag.Provenance;
import org.spdiff.pipelines.experiment.ExperimentSpec;
import org.spdiff.pipelines.store.ArtifactStore;
import org.spdiff.pipelines.store.Attempt;

/**
 * Reference statistics of the real training images: {@code ref.npz} (pytorch-fid's {@code mu},
 * {@code sigma}, float64), the reference rows of precision/recall/density/coverage and KID ({@code
 * prdc_features.f32}: a seeded random subset of the real data the size of one cell's sample set,
 * drawn with {@code scoring.seed}), the moments of each class ({@code classes/ref-<k>.npz}, for
 * per-class FID) and the IS of real data (recorded in the marker).
 */
public final class RefStatsStage {
  public static final String STATS = "ref.npz";
  public static final String PRDC_FEATURES = "prdc_features.f32";

  /** The moments of the real images of class {@code label}. */
  public static String classStats(int label) {
    return String.format(Locale.ROOT, "classes/ref-%03d.npz", label);
  }

  private RefStatsStage() {}

  /** Input: the features key; output: the reference key. */
  public static final class RefStatsFn extends DoFn<String, String> {
    private final Plan plan;
    private final ArtifactStore store;

    public RefStatsFn(Plan plan, ArtifactStore store) {
      this.plan = plan;
      this.store = store;
    }

    @ProcessElement
    public void process(ProcessContext c) throws Exception {
      run(plan, store);
      c.output(plan.refKey());
    }
  }

  public static void run(Plan plan, ArtifactStore store) throws Exception {
    String key = plan.refKey();
    if (store.isComplete(Plan.REFSTATS, key)) {
      StageCounters.cached(Plan.REFSTATS).inc();
      Progress.note("refstats", "complete in the store (" + key + ")");
      return;
    }
    ExperimentSpec spec = plan.spec();
    ImageSet data = StageData.load(store, plan.prepareKey(), "train", true);
    byte[][] px = new byte[data.size()][];
    for (int i = 0; i < px.length; i++) {
      px[i] = data.pixels(i);
    }
    long t0 = System.nanoTime();
    Map<String, Object> results = new LinkedHashMap<>();
    Attempt attempt = store.attempt(Plan.REFSTATS, key);
    try (FeatureExtractor net = FeatureNetworks.open(spec.features(), store, plan.featuresKey())) {
      Scores.Extracted ex =
          Scores.extract(
              net,
              px,
              data.channels(),
              data.height(),
              data.width(),
              spec.features().batchSize(),
              true);
      Path tmp = Files.createTempFile("spdiff-ref-", ".npz");
      try {
        StatsNpz.write(tmp, ex.stats().moments());
        attempt.write(STATS, Files.readAllBytes(tmp));
      } finally {
        Files.deleteIfExists(tmp);
      }
      // numpy's np.sort(RandomState(seed).choice(n_ref, n, replace=False)), as spdiff prdc does.
      int[] subset =
          PrdcReference.seededSubset(
              ex.features().length, spec.generation().samples(), spec.scoring().seed());
      float[][] prdc = new float[subset.length][];
      for (int i = 0; i < subset.length; i++) {
        prdc[i] = ex.features()[subset[i]];
      }
      attempt.write(PRDC_FEATURES, FloatMatrix.encode(prdc));
      results.put("prdcReferenceCount", prdc.length);
      results.put("prdcReferenceSeed", spec.scoring().seed());
      if (data.numClasses() > 0 && spec.scoring().perClass()) {
        Map<Integer, List<float[]>> byClass = new java.util.TreeMap<>();
        for (int i = 0; i < ex.features().length; i++) {
          byClass
              .computeIfAbsent(data.label(i), k -> new java.util.ArrayList<>())
              .add(ex.features()[i]);
        }
        Map<Integer, Long> counts = new java.util.TreeMap<>();
        for (Map.Entry<Integer, List<float[]>> e : byClass.entrySet()) {
          FeatureStats stats = FeatureStats.of(e.getValue().toArray(float[][]::new));
          Path c = Files.createTempFile("spdiff-ref-class-", ".npz");
          try {
            StatsNpz.write(c, stats.moments());
            attempt.write(classStats(e.getKey()), Files.readAllBytes(c));
          } finally {
            Files.deleteIfExists(c);
          }
          counts.put(e.getKey(), stats.count());
        }
        results.put("classCounts", counts);
      }
      SplitScore is =
          InceptionScore.compute(
              FloatMatrix.toDouble(ex.logits()),
              spec.scoring().isSplits(),
              true,
              InceptionScore.DEFAULT_SEED);
      results.put("count", ex.stats().count());
      results.put("dims", ex.stats().dim());
      results.put("featureNetwork", net.id());
      results.put("isMean", is.mean());
      results.put("isStd", is.std());
      results.put("seconds", (System.nanoTime() - t0) / 1e9);
      Progress.note(
          "refstats",
          String.format(
              Locale.ROOT,
              "%d real images, %d-d features, IS of real data %.3f +- %.3f",
              ex.stats().count(),
              ex.stats().dim(),
              is.mean(),
              is.std()));
    }
    Map<String, String> consumed = new java.util.TreeMap<>();
    consumed.putAll(Provenance.consumed(store, Plan.PREPARE, plan.prepareKey()));
    consumed.putAll(Provenance.consumed(store, Plan.FEATURES, plan.featuresKey()));
    if (!attempt.publish(
        Provenance.json(
            Plan.REFSTATS,
            key,
            spec.scoring(),
            List.of(plan.prepareKey(), plan.featuresKey()),
            results,
            consumed))) {
      StageCounters.cached(Plan.REFSTATS).inc();
      Progress.note("refstats", "another run published " + key + " first; using its statistics");
      return;
    }
    StageCounters.computed(Plan.REFSTATS).inc();
  }
}
