package org.spdiff.pipelines.stages;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.spdiff.core.checkpoint.Checkpoint;
import org.spdiff.core.data.ImageSet;
import org.spdiff.core.sampling.CheckpointSampler;
import org.spdiff.core.sampling.SamplerConfig;
import org.spdiff.core.sampling.TimestepSpacing;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.Scores;
import org.spdiff.metrics.fid.FrechetDistance;
import org.spdiff.metrics.fid.FrechetReference;
import org.spdiff.metrics.linalg.LibtorchMultiplier;
import org.spdiff.metrics.prdc.PrdcReference;
import org.spdiff.metrics.stats.KernelInceptionDistance;
import org.spdiff.metrics.stats.SplitScore;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.experiment.ExperimentSpec;
import org.spdiff.pipelines.experiment.ExperimentSpec.TeacherSpec;
import org.spdiff.pipelines.report.TeacherCurve;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * The teacher's in-training evaluation ({@code teacher.evalEvery}): at each evaluated step its
 * checkpoint's EMA weights sample the same {@code evalSamples} images (DDIM {@code evalSteps},
 * trailing, CFG off, sample {@code i} from {@code (teacher.seed, i)} and of class {@code i mod
 * classes}), which are featurized by the study's feature network and scored: FID against the
 * reference moments of the whole training split ({@code ref.npz}) and KID against {@code
 * evalSamples} real training images (a subset seeded by {@code teacher.seed}, the same at every
 * step). The rows go to {@code eval.csv} of the teacher ({@link TeacherCurve}). Deterministic: the
 * same checkpoint gives the same row.
 */
public final class TeacherEval implements AutoCloseable {
  /** The curve's file in the teacher's key. */
  public static final String FILE = "eval.csv";

  /** KID subsets of the evaluation (each of {@code min(evalSamples, 1000)} rows per set). */
  static final int KID_SUBSETS = 20;

  private final ExperimentSpec spec;
  private final FeatureExtractor net;
  private final FrechetReference reference;
  private final double[][] realFeatures;

  private TeacherEval(
      ExperimentSpec spec,
      FeatureExtractor net,
      FrechetReference reference,
      double[][] realFeatures) {
    this.spec = spec;
    this.net = net;
    this.reference = reference;
    this.realFeatures = realFeatures;
  }

  /** The batch the evaluation samples in. */
  public static int batch(ExperimentSpec spec) {
    return Math.min(spec.teacher().evalSamples(), spec.generation().batchSize());
  }

  /**
   * Opens the feature network and the reference (the feature and reference stages must be complete)
   * and featurizes the real subset.
   */
  public static TeacherEval open(Plan plan, ArtifactStore store) throws IOException {
    ExperimentSpec spec = plan.spec();
    FrechetReference ref =
        FrechetReference.of(
            ScoreStage.readNpz(
                store.require(Plan.REFSTATS, plan.refKey(), RefStatsStage.STATS),
                store.path(Plan.REFSTATS, plan.refKey(), RefStatsStage.STATS)));
    FeatureExtractor net = FeatureNetworks.open(spec.features(), store, plan.featuresKey());
    try {
      ImageSet data = StageData.load(store, plan.prepareKey(), "train", spec.data().conditional());
      int n = Math.min(spec.teacher().evalSamples(), data.size());
      int[] subset = PrdcReference.seededSubset(data.size(), n, spec.teacher().seed());
      byte[][] px = new byte[subset.length][];
      for (int i = 0; i < subset.length; i++) {
        px[i] = data.pixels(subset[i]);
      }
      Scores.Extracted real =
          Scores.extract(
              net,
              px,
              data.channels(),
              data.height(),
              data.width(),
              spec.features().batchSize(),
              true);
      return new TeacherEval(spec, net, ref, FloatMatrix.toDouble(real.features()));
    } catch (RuntimeException e) {
      net.close();
      throw e;
    }
  }

  /** Samples, featurizes and scores the teacher's checkpoint {@code ck}. */
  public TeacherCurve.Point evaluate(Checkpoint ck) {
    long t0 = System.nanoTime();
    TeacherSpec t = spec.teacher();
    SamplerConfig config =
        new SamplerConfig(
            "ddim",
            t.evalSteps(),
            TimestepSpacing.parse("trailing"),
            0,
            0,
            0,
            spec.generation().clipX0());
    int n = t.evalSamples();
    int ch = spec.data().channels();
    int res = spec.data().resolution();
    List<byte[]> images = new ArrayList<>(n);
    try (CheckpointSampler s = CheckpointSampler.open(ck, true)) {
      int classes = s.net().numClasses();
      int bs = batch(spec);
      for (int b = 0; b < n; b += bs) {
        int m = Math.min(bs, n - b);
        long[] ids = new long[m];
        int[] labels = classes > 0 ? new int[m] : null;
        for (int j = 0; j < m; j++) {
          ids[j] = b + j;
          if (labels != null) {
            labels[j] = (int) (ids[j] % classes);
          }
        }
        for (byte[] img : s.generateUint8(config, t.seed(), ids, labels)) {
          images.add(img);
        }
      }
    }
    Scores.Extracted fake =
        Scores.extract(
            net, images.toArray(byte[][]::new), ch, res, res, spec.features().batchSize(), true);
    double fid = FrechetDistance.compute(reference, fake.stats()).value();
    double[][] f = FloatMatrix.toDouble(fake.features());
    int subset = Math.min(Math.min(f.length, realFeatures.length), 1000);
    SplitScore kid =
        KernelInceptionDistance.compute(
            realFeatures,
            f,
            KID_SUBSETS,
            subset,
            KernelInceptionDistance.DEFAULT_SEED,
            LibtorchMultiplier.INSTANCE);
    return new TeacherCurve.Point(ck.step(), fid, kid.mean(), (System.nanoTime() - t0) / 1e9);
  }

  /** One line for the progress log. */
  public static String describe(TeacherCurve.Point p) {
    return String.format(
        Locale.ROOT,
        "evaluation at step %d: FID %.3f, KID x1e3 %.2f (%.1f s)",
        p.step(),
        p.fid(),
        p.kid() * 1e3,
        p.seconds());
  }

  @Override
  public void close() {
    net.close();
  }
}
