package org.spdiff.pipelines.stages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.spdiff.core.data.ImageSet;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.Scores;
import org.spdiff.metrics.io.StatsNpz;
import org.spdiff.metrics.stats.FeatureStats;
import org.spdiff.metrics.stats.InceptionScore;
import org.spdiff.metrics.stats.SplitScore;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.dag.Progress;
import org.spdiff.pipelines.dag.Provenance;
import org.spdiff.pipelines.experiment.ExperimentSpec;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * Reference statistics of the real training images: {@code ref.npz} (pytorch-fid's {@code mu},
 * {@code sigma}, float64), the KID reference subset ({@code kid_features.f32}, up to {@value
 * #KID_REFERENCE_MAX} rows in record order), the precision/recall reference ({@code
 * prdc_features.f32}: a seeded random subset of the real data the size of one cell's sample set,
 * drawn with {@code scoring.seed}), the moments of each class ({@code classes/ref-<k>.npz}, for
 * per-class FID) and the IS of real data (recorded in the marker).
 */
public final class RefStatsStage {
  /** Rows of reference features kept for KID. */
  public static final int KID_REFERENCE_MAX = 10_000;

  public static final String STATS = "ref.npz";
  public static final String KID_FEATURES = "kid_features.f32";
  public static final String PRDC_FEATURES = "prdc_features.f32";

  /** The moments of the real images of class {@code label}. */
  public static String classStats(int label) {
    return String.format(Locale.ROOT, "classes/ref-%03d.npz", label);
  }

  /**
   * Indices of the precision/recall reference subset: {@code size} of {@code 0..n-1} without
   * replacement (a seeded partial Fisher-Yates shuffle), in increasing order.
   */
  public static int[] referenceSubset(int n, int size, long seed) {
    int m = Math.min(n, size);
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
    for (int i = 0; i < m; i++) {
      int j = i + rng.nextInt(n - i);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    int[] out = Arrays.copyOf(idx, m);
    Arrays.sort(out);
    return out;
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
    ImageSet data = StageData.load(store.dir(Plan.PREPARE, plan.prepareKey()), "train", true);
    byte[][] px = new byte[data.size()][];
    for (int i = 0; i < px.length; i++) {
      px[i] = data.pixels(i);
    }
    long t0 = System.nanoTime();
    Map<String, Object> results = new LinkedHashMap<>();
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
      StatsNpz.write(tmp, ex.stats().moments());
      store.write(Plan.REFSTATS, key, STATS, Files.readAllBytes(tmp));
      Files.delete(tmp);
      float[][] kid =
          Arrays.copyOf(ex.features(), Math.min(ex.features().length, KID_REFERENCE_MAX));
      store.write(Plan.REFSTATS, key, KID_FEATURES, FloatMatrix.encode(kid));
      int[] subset =
          referenceSubset(ex.features().length, spec.generation().samples(), spec.scoring().seed());
      float[][] prdc = new float[subset.length][];
      for (int i = 0; i < subset.length; i++) {
        prdc[i] = ex.features()[subset[i]];
      }
      store.write(Plan.REFSTATS, key, PRDC_FEATURES, FloatMatrix.encode(prdc));
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
            store.write(Plan.REFSTATS, key, classStats(e.getKey()), Files.readAllBytes(c));
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
    store.markComplete(
        Plan.REFSTATS,
        key,
        Provenance.json(
            Plan.REFSTATS,
            key,
            spec.scoring(),
            List.of(plan.prepareKey(), plan.featuresKey()),
            results));
    StageCounters.computed(Plan.REFSTATS).inc();
  }
}
