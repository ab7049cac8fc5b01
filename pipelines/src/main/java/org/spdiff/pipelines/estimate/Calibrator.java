package org.spdiff.pipelines.estimate;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.spdiff.core.checkpoint.Checkpoint;
import org.spdiff.core.checkpoint.LocalCheckpointStore;
import org.spdiff.core.data.ImageSet;
import org.spdiff.core.model.UNetConfig;
import org.spdiff.core.model.UNetFlops;
import org.spdiff.core.sampling.CheckpointSampler;
import org.spdiff.core.sampling.GenerationPrecision;
import org.spdiff.core.sampling.SamplerConfig;
import org.spdiff.core.train.DiffusionTrainer;
import org.spdiff.core.train.Nets;
import org.spdiff.core.train.TrainConfig;
import org.spdiff.metrics.classifier.ClassifierConfig;
import org.spdiff.metrics.classifier.DomainClassifier;
import org.spdiff.pipelines.experiment.ExperimentSpec;
import org.spdiff.pipelines.experiment.ExperimentSpec.VariantSpec;
import org.spdiff.pipelines.stages.StageConfigs;

/**
 * Measures the rate of each {@link Workload} of a study on this machine, briefly: a training
 * workload runs {@link #WARMUP_STEPS} warm-up steps and a few timed steps (their median) on random
 * images of the study's shape (a first probe at a batch of at most 8 decides whether the study's
 * batch fits {@link #MAX_CALL_SECONDS}; otherwise a smaller batch is timed and scaled linearly); a
 * sampling workload times DDIM steps at the study's batch with and without guidance after {@link
 * #WARMUP_SAMPLE_STEPS} untimed ones; the domain classifier is trained for an epoch on {@link
 * #CLASSIFIER_IMAGES} random images after a warm-up on a quarter of them, and then featurizes a few
 * batches. Inception features are not run (no weights need to be at hand): their rate is derived
 * from the UNet's measured FLOP rate and Inception-v3's {@link #INCEPTION_FLOPS}.
 *
 * <p>Weights are random: the cost of a step does not depend on their values. Everything runs in
 * this JVM with its libtorch threads ({@code ai.djl.pytorch.num_threads}), which is what a worker
 * of the embedded runner uses.
 */
public final class Calibrator {
  /** Timed training steps or sampler calls aim at about this long each. */
  static final double MAX_CALL_SECONDS = 3;

  /**
   * Untimed training steps at the study's batch before the timed ones. In a fresh JVM the first
   * steps of a bench UNet at batch 64 ran 1.2-2.5x slower than later ones and reached their level
   * after 4-8 steps (per-step traces, 2026-12-02); with 1 warm-up step the calibration put the
   * demo's MSE step at 1.20 s against 0.645 s in the run that followed.
   */
  static final int WARMUP_STEPS = 6;

  /**
   * The warm-up of a training workload stops short of {@link #WARMUP_STEPS} once its steps add up
   * to about this long (never fewer than {@link #SECOND_PASS_WARMUP_STEPS}): a larger preset's
   * steps take seconds each, and six of them per pass put the first calibration of {@code
   * fmnist-full} (two 1.7 M-parameter workloads at batch 128) at 203 s.
   */
  static final double WARMUP_SECONDS = 4;

  /**
   * The second pass (see {@link #measure}) runs only when the first took less than this and both,
   * with the JVM's warm-up, fit in {@link #BUDGET_SECONDS} plus half of this, so that {@code
   * --planOnly} answers within a minute however large the presets are.
   */
  static final double SECOND_PASS_BUDGET_SECONDS = 30;

  /**
   * Sampling is timed at no larger a batch than this and counted per image. The generation stage
   * ran at 2.6-3.0e-3 s per image and DDIM step at batches of 100 and 250 alike (bench UNet, demo
   * and verdict runs, 2026-12-02), and the calibration at 100 measured 2.3-2.6e-3; the calibration
   * at 250 measured 5.0-9.5e-3 in five tries, which made the verdict study's estimate 1.4x its
   * measured time. The cause was found later: with {@code MALLOC_ARENA_MAX=2} every tensor above 64
   * MiB was mapped afresh ({@link org.spdiff.core.engine.MallocSettings}); the cap also keeps the
   * calibration short.
   */
  static final int MAX_SAMPLE_BATCH = 100;

  /**
   * The first pass of the training and sampling workloads, with the JVM's warm-up, aims to fit in
   * this: each workload gets an equal share of what is left when it starts, and one whose usual
   * plan would overrun its share is timed with the fewest steps at a smaller batch (scaled
   * linearly), or from its small-batch probe alone. Large presets needed this to answer within a
   * minute: with empty caches {@code cifar10-gpu} took 150 s and {@code fmnist-full} 68 s
   * (2026-12-02).
   */
  static final double BUDGET_SECONDS = 35;

  /** Warm-up steps of the second pass (the shapes and the code are warm by then). */
  static final int SECOND_PASS_WARMUP_STEPS = 2;

  /** Untimed DDIM steps at the study's batch before the timed ones (same reason). */
  static final int WARMUP_SAMPLE_STEPS = 4;

  /** Untimed small-batch training steps when the JVM is cold ({@link #warmUpJvm}). */
  static final int JVM_WARMUP_STEPS = 10;

  /**
   * No JVM warm-up for a UNet above this many FLOPs per image forward ({@link UNetFlops}): its
   * steps take seconds each (cifar32, 12.4 G: 1.7-2.9 s at batch 8), so the JIT's first minutes are
   * noise beside them, and its probe's own warm-up step absorbs libtorch's first call.
   */
  static final double JVM_WARMUP_MAX_FLOPS = 4e9;

  /** Untimed training steps at the probe's small batch (it only picks the timed batch). */
  static final int PROBE_WARMUP_STEPS = 1;

  /** Set (to anything) to log every timed step and sampler call of the calibration. */
  static final String TRACE_ENV = "SPDIFF_CALIBRATION_TRACE";

  /** Time to spend on the timed repetitions of one workload. */
  static final double TARGET_SECONDS = 4;

  /** Images the domain classifier is trained on for one epoch. */
  static final int CLASSIFIER_IMAGES = 1024;

  /**
   * Inception-v3 at 299 x 299: 5.71 G multiply-adds (torchvision's model card), 2 FLOPs each; the
   * resize to 299 is not counted.
   */
  public static final double INCEPTION_FLOPS = 2 * 5.71e9;

  private final ExperimentSpec spec;
  private final Consumer<String> log;
  private final CalibrationClock clock;
  private final Map<String, Checkpoint> checkpoints = new HashMap<>();

  /** Per training workload, how its first pass timed it (the second reuses it). */
  private final Map<String, TrainPlan> trainPlans = new HashMap<>();

  /**
   * How a training workload is timed.
   *
   * @param batch the timed batch (the study's, or smaller and scaled linearly)
   * @param warmSteps untimed steps before the timed ones in the first pass
   * @param reps timed steps; 0 when the probe's figure is the measurement
   * @param probeSeconds seconds per step at the study's batch, from the probe (scaled linearly)
   */
  record TrainPlan(int batch, int warmSteps, int reps, double probeSeconds) {}

  private final List<Path> temp = new ArrayList<>();

  public Calibrator(ExperimentSpec spec, Consumer<String> log) {
    this(spec, log, CalibrationClock.forLoad(Machine.current()));
  }

  Calibrator(ExperimentSpec spec, Consumer<String> log, CalibrationClock clock) {
    this.spec = spec;
    this.log = log;
    this.clock = clock;
  }

  /** The load average when the calibration started. */
  public double loadAtStart() {
    return clock.loadAtStart();
  }

  /**
   * Measures every workload of {@code missing} (Inception features after the sampling workloads
   * they are derived from, which are taken from {@code known} when measured before). Training and
   * sampling workloads are measured in two interleaved passes and the lower figure is kept: on
   * these shared 2-core machines single measurements of the same step came out up to 1.7x apart
   * within minutes (0.62-1.07 s for the demo's MSE step, five fresh calibrations, 2026-12-02), and
   * a transient slowdown only ever adds time.
   *
   * @return seconds per unit keyed by {@link Workload#key()}
   */
  public Map<String, Double> measure(List<Workload> missing, Rates known) {
    Map<String, Double> out = new TreeMap<>();
    List<Workload> ordered = new ArrayList<>(missing);
    ordered.sort(Comparator.comparingInt(w -> w instanceof Workload.Features ? 1 : 0));
    try {
      long begin = clock.mark();
      ordered.stream()
          .filter(w -> w instanceof Workload.Train)
          .map(w -> (Workload.Train) w)
          .filter(w -> UNetFlops.forward(w.unet()) <= JVM_WARMUP_MAX_FLOPS)
          .findFirst()
          .ifPresent(this::warmUpJvm);
      long start = clock.mark();
      Map<String, Double> firstPass = new HashMap<>();
      int timedLeft =
          (int)
              ordered.stream()
                  .filter(w -> w instanceof Workload.Train || w instanceof Workload.Sample)
                  .count();
      for (Workload w : ordered) {
        if (!(w instanceof Workload.Train) && !(w instanceof Workload.Sample)) {
          continue;
        }
        double share = Math.max(0, BUDGET_SECONDS - clock.since(begin)) / timedLeft--;
        if (w instanceof Workload.Train t) {
          firstPass.put(w.key(), train(t, true, share));
        } else {
          firstPass.put(w.key(), sample((Workload.Sample) w, share));
        }
      }
      double firstPassSeconds = clock.since(start);
      boolean secondPass =
          firstPassSeconds < SECOND_PASS_BUDGET_SECONDS
              && clock.since(begin) + firstPassSeconds
                  <= BUDGET_SECONDS + SECOND_PASS_BUDGET_SECONDS / 2;
      if (!secondPass) {
        log.accept(
            String.format(
                Locale.ROOT,
                "calibration: one pass only (the first took %.0f s, %.0f s in all so far; a second"
                    + " runs when the first took under %.0f s and both fit in %.0f s)",
                firstPassSeconds,
                clock.since(begin),
                SECOND_PASS_BUDGET_SECONDS,
                BUDGET_SECONDS + SECOND_PASS_BUDGET_SECONDS / 2));
      }
      for (Workload w : ordered) {
        long t0 = System.nanoTime();
        double rate;
        if (w instanceof Workload.Train t) {
          rate =
              secondPass
                  ? Math.min(firstPass.get(w.key()), train(t, false, Double.POSITIVE_INFINITY))
                  : firstPass.get(w.key());
        } else if (w instanceof Workload.Sample s) {
          rate =
              secondPass
                  ? Math.min(firstPass.get(w.key()), sample(s, Double.POSITIVE_INFINITY))
                  : firstPass.get(w.key());
        } else if (w instanceof Workload.Classifier c) {
          rate = classifier(c);
        } else {
          rate = features((Workload.Features) w, known.with(out));
        }
        out.put(w.key(), rate);
        log.accept(
            String.format(
                Locale.ROOT,
                "calibrated %s: %.3e %s (%.1f s)",
                w.key(),
                rate,
                w.unit(),
                (System.nanoTime() - t0) / 1e9));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("calibration failed: " + e.getMessage(), e);
    } finally {
      temp.forEach(Calibrator::deleteTree);
    }
    return out;
  }

  // ---------------------------------------------------------------- training

  /**
   * Seconds per step of {@code w} at its batch. The first pass probes a small batch to choose the
   * timed batch (the study's, or a smaller one scaled linearly when a step would exceed {@link
   * #MAX_CALL_SECONDS}), its warm-up steps and repetitions, within {@code share} seconds (see
   * {@link #BUDGET_SECONDS}); the second reuses them with {@link #SECOND_PASS_WARMUP_STEPS} warm-up
   * steps.
   */
  private double train(Workload.Train w, boolean first, double share) throws IOException {
    TrainConfig base = trainConfig(w);
    TrainPlan plan = trainPlans.get(w.key());
    if (plan == null) {
      long t0 = clock.mark();
      int probe = Math.min(w.batch(), 8);
      double perImage = trainStep(w, base, probe, PROBE_WARMUP_STEPS, 1) / probe;
      double left = share - clock.since(t0);
      plan = trainPlan(perImage, w.batch(), probe, left);
      trainPlans.put(w.key(), plan);
    }
    if (plan.reps() == 0) {
      return plan.probeSeconds();
    }
    int warmSteps = first ? plan.warmSteps() : SECOND_PASS_WARMUP_STEPS;
    return trainStep(w, base, plan.batch(), warmSteps, plan.reps()) * w.batch() / plan.batch();
  }

  /**
   * How to time a training workload whose probe at batch {@code probe} took {@code perImage}
   * seconds per image, with {@code left} seconds of its share to spend: the study's batch (or a
   * smaller one under {@link #MAX_CALL_SECONDS}) with about {@link #WARMUP_SECONDS} of warm-up and
   * {@link #TARGET_SECONDS} of timed steps; over its share, 2 warm-up and 2 timed steps at a batch
   * that fits; and when that batch would be no larger than the probe's, the probe's figure.
   */
  static TrainPlan trainPlan(double perImage, int studyBatch, int probe, double left) {
    int batch = studyBatch;
    if (perImage * batch > MAX_CALL_SECONDS) {
      batch = Math.max(probe, (int) (MAX_CALL_SECONDS / perImage));
    }
    double stepSeconds = perImage * batch;
    int warm = warmupSteps(stepSeconds);
    int reps = repetitions(stepSeconds);
    if ((warm + reps) * stepSeconds > left) {
      // Over its share: the fewest steps (2 warm-up, 2 timed) at a batch that fits.
      warm = SECOND_PASS_WARMUP_STEPS;
      reps = 2;
      batch = Math.min(batch, (int) (left / ((warm + reps) * perImage)));
      if (batch <= probe) {
        batch = probe;
        reps = 0;
      }
    }
    return new TrainPlan(batch, warm, reps, perImage * studyBatch);
  }

  /**
   * Untimed small-batch training steps before the first measurement: a cold JVM runs the training
   * code interpreted while the JIT compiles it on the same cores, which the first workload's own
   * warm-up steps did not absorb (its step measured 1.05-1.20 s, the next workload's at its run
   * rate).
   */
  private void warmUpJvm(Workload.Train w) {
    try {
      // Three steps first: a preset whose steps take seconds (cifar32: 1.8 s at batch 8) is past
      // the JIT's effect after them; the rest only while they stay within WARMUP_SECONDS.
      int batch = Math.min(w.batch(), 8);
      double step = trainStep(w, trainConfig(w), batch, 2, 1);
      int more = JVM_WARMUP_STEPS - 3;
      if (step * more <= WARMUP_SECONDS) {
        trainStep(w, trainConfig(w), batch, more - 1, 1);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("calibration warm-up failed: " + e.getMessage(), e);
    }
  }

  /**
   * Median seconds of {@code timed} steps after {@code warm} warm-up steps. The run writes no
   * checkpoint ({@link DiffusionTrainer#checkpointAtEnd}), so its last step is an ordinary one.
   */
  private double trainStep(Workload.Train w, TrainConfig base, int batch, int warm, int timed)
      throws IOException {
    TrainConfig config =
        base.toBuilder()
            .batchSize(batch)
            .steps(warm + timed)
            .checkpointEvery(0)
            .logEvery(1)
            .warmupSteps(0)
            .build();
    Path dir = tempDir("spdiff-calibrate-train-");
    DiffusionTrainer trainer =
        new DiffusionTrainer(config, Nets.unet(w.unet()), new LocalCheckpointStore(dir))
            .checkpointAtEnd(false);
    if (w.selfPerceptual()) {
      Checkpoint stage1 = checkpoint(w.unet());
      trainer.initialWeights(new org.spdiff.core.train.WeightsRef(stage1, false));
      trainer.perceptualWeights(stage1);
    }
    List<Double> seconds = new ArrayList<>();
    long[] mark = {clock.mark()};
    trainer.onProgress(
        (step, loss, ips) -> {
          seconds.add(clock.since(mark[0]));
          mark[0] = clock.mark();
        });
    trainer.run(images(w.unet(), Math.max(batch, 16)));
    if (System.getenv(TRACE_ENV) != null) {
      log.accept(
          String.format(Locale.ROOT, "  %s batch %d step seconds %s", w.key(), batch, seconds));
    }
    List<Double> timedSteps = new ArrayList<>(seconds.subList(warm, seconds.size()));
    timedSteps.sort(null);
    return timedSteps.get(timedSteps.size() / 2);
  }

  private TrainConfig trainConfig(Workload.Train w) {
    if (!w.selfPerceptual()) {
      return StageConfigs.teacher(spec);
    }
    for (VariantSpec v : spec.variants()) {
      if (StudyEstimator.train(spec, v).equals(w)) {
        return StageConfigs.variant(spec, v, v.seed());
      }
    }
    throw new IllegalArgumentException("no variant of the study trains " + w.key());
  }

  /** A one-step checkpoint of {@code unet}: the stage-1 weights and the net to sample from. */
  private Checkpoint checkpoint(UNetConfig unet) throws IOException {
    Checkpoint c = checkpoints.get(unet.toString());
    if (c == null) {
      Path dir = tempDir("spdiff-calibrate-stage1-");
      LocalCheckpointStore store = new LocalCheckpointStore(dir);
      TrainConfig config =
          StageConfigs.teacher(spec).toBuilder()
              .batchSize(2)
              .steps(1)
              .checkpointEvery(0)
              .warmupSteps(0)
              .build();
      new DiffusionTrainer(config, Nets.unet(unet), store).run(images(unet, 16));
      c = Checkpoint.readLatest(store).orElseThrow();
      checkpoints.put(unet.toString(), c);
    }
    return c;
  }

  // ---------------------------------------------------------------- sampling

  /** Seconds per image and DDIM step of {@code w}, measured within {@code share} seconds. */
  private double sample(Workload.Sample w, double share) throws IOException {
    long t0 = clock.mark();
    GenerationPrecision precision = GenerationPrecision.parse(w.precision());
    SamplerConfig one = ddim(w, 1, precision);
    try (CheckpointSampler s = CheckpointSampler.open(checkpoint(w.unet()), true)) {
      int probe = Math.min(w.batch(), 16);
      sampleCall(s, one, probe); // warm-up
      double perImageStep = sampleCall(s, one, probe) / probe;
      double left = share - clock.since(t0);
      int batch = Math.min(w.batch(), MAX_SAMPLE_BATCH);
      if (perImageStep * batch > MAX_CALL_SECONDS) {
        batch = Math.max(probe, (int) (MAX_CALL_SECONDS / perImageStep));
      }
      int steps = repetitions(perImageStep * batch);
      int warm = WARMUP_SAMPLE_STEPS;
      if ((warm + steps) * perImageStep * batch > left) {
        warm = 1;
        steps = 2;
        batch = Math.min(batch, (int) (left / ((warm + steps) * perImageStep)));
      }
      if (batch <= probe) {
        return perImageStep;
      }
      SamplerConfig timed = ddim(w, steps, precision);
      // Warm-up at this batch: the first sampler steps at a new shape run up to 2x slower.
      sampleCall(s, ddim(w, warm, precision), batch);
      return sampleCall(s, timed, batch) / (batch * (double) steps);
    }
  }

  private static SamplerConfig ddim(Workload.Sample w, int steps, GenerationPrecision precision) {
    return SamplerConfig.ddim(steps).withCfg(w.cfg() ? 2.0 : 0.0, 0).withPrecision(precision);
  }

  private double sampleCall(CheckpointSampler s, SamplerConfig config, int batch) {
    long[] ids = new long[batch];
    int classes = s.net().numClasses();
    int[] labels = classes > 0 ? new int[batch] : null;
    for (int i = 0; i < batch; i++) {
      ids[i] = i;
      if (labels != null) {
        labels[i] = i % classes;
      }
    }
    try (NDManager m = NDManager.newBaseManager()) {
      long t0 = clock.mark();
      s.generate(config, 1, ids, labels, m).toFloatArray();
      double sec = clock.since(t0);
      if (System.getenv(TRACE_ENV) != null) {
        log.accept(String.format(Locale.ROOT, "  sample batch %d %s: %.3f s", batch, config, sec));
      }
      return sec;
    }
  }

  // ---------------------------------------------------------------- features

  private double classifier(Workload.Classifier w) {
    byte[][] px = randomImages(CLASSIFIER_IMAGES, w.channels() * w.resolution() * w.resolution());
    int[] labels = new int[px.length];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 10;
    }
    ClassifierConfig oneEpoch = ClassifierConfig.defaults().withEpochs(1);
    int warm = CLASSIFIER_IMAGES / 4;
    try (DomainClassifier c =
        DomainClassifier.train(
            java.util.Arrays.copyOf(px, warm),
            java.util.Arrays.copyOf(labels, warm),
            w.channels(),
            w.resolution(),
            w.resolution(),
            10,
            oneEpoch)) {
      // Warm-up (the JIT, libtorch's kernels): untimed.
    }
    long t0 = clock.mark();
    try (DomainClassifier c =
        DomainClassifier.train(
            px, labels, w.channels(), w.resolution(), w.resolution(), 10, oneEpoch)) {
      return clock.since(t0) / px.length;
    }
  }

  private double features(Workload.Features w, Rates known) {
    if (w.network().equals("inception")) {
      return inception(known);
    }
    int per = w.channels() * w.resolution() * w.resolution();
    byte[][] px = randomImages(256, per);
    int[] labels = new int[px.length];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 10;
    }
    ClassifierConfig config = ClassifierConfig.defaults().withEpochs(1);
    try (DomainClassifier c =
        DomainClassifier.train(
            px, labels, w.channels(), w.resolution(), w.resolution(), 10, config)) {
      byte[][] batch = randomImages(w.batch(), per);
      c.extract(batch, w.channels(), w.resolution(), w.resolution()); // warm-up
      long t0 = clock.mark();
      int reps = 3;
      for (int r = 0; r < reps; r++) {
        c.extract(batch, w.channels(), w.resolution(), w.resolution());
      }
      return clock.since(t0) / (reps * (double) batch.length);
    }
  }

  /** Inception-v3's FLOPs at the FLOP rate the study's UNet sampled at (no guidance). */
  private double inception(Rates known) {
    UNetConfig u = StudyEstimator.unet(spec);
    Workload.Sample s =
        new Workload.Sample(spec.teacher().model(), u, spec.generation().batchSize(), false);
    if (!known.has(s)) {
      throw new IllegalStateException("the Inception rate is derived from " + s.key());
    }
    double flopsPerSecond = UNetFlops.forward(u) / known.of(s);
    return INCEPTION_FLOPS / flopsPerSecond;
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Warm-up steps for a step of about {@code secondsEach}: {@link #WARMUP_SECONDS} worth, between
   * {@link #SECOND_PASS_WARMUP_STEPS} and {@link #WARMUP_STEPS}.
   */
  static int warmupSteps(double secondsEach) {
    long n = Math.round(WARMUP_SECONDS / secondsEach);
    return (int) Math.max(SECOND_PASS_WARMUP_STEPS, Math.min(WARMUP_STEPS, n));
  }

  /** Timed repetitions so that they take about {@link #TARGET_SECONDS}: 2 to 5. */
  private static int repetitions(double secondsEach) {
    return (int) Math.max(2, Math.min(5, Math.round(TARGET_SECONDS / secondsEach)));
  }

  private static ImageSet images(UNetConfig u, int n) {
    int per = u.inChannels() * u.imageSize() * u.imageSize();
    byte[][] px = randomImages(n, per);
    int classes = u.numClasses();
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = classes > 0 ? i % classes : -1;
    }
    return new ImageSet(
        u.inChannels(), u.imageSize(), u.imageSize(), px, labels, Math.max(classes, 0));
  }

  private static byte[][] randomImages(int n, int per) {
    SplittableRandom rng = new SplittableRandom(13);
    byte[][] px = new byte[n][per];
    for (byte[] p : px) {
      for (int q = 0; q < per; q++) {
        p[q] = (byte) rng.nextInt(256);
      }
    }
    return px;
  }

  private Path tempDir(String prefix) throws IOException {
    Path p = Files.createTempDirectory(prefix);
    temp.add(p);
    return p;
  }

  private static void deleteTree(Path p) {
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // Temporary files: best effort.
    }
  }
}
