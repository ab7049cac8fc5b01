package org.spdiff.pipelines.estimate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiPredicate;
import org.spdiff.core.model.UNetConfig;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.experiment.ExperimentSpec;
import org.spdiff.pipelines.experiment.ExperimentSpec.GenerationSpec;
import org.spdiff.pipelines.experiment.ExperimentSpec.SamplingSetting;
import org.spdiff.pipelines.experiment.ExperimentSpec.TeacherSpec;
import org.spdiff.pipelines.experiment.ExperimentSpec.VariantSpec;
import org.spdiff.pipelines.stages.StageConfigs;
import org.spdiff.pipelines.stages.TeacherEval;

/**
 * The cost of a study from measured {@link Rates}: per stage, the work it still has to do (a stage
 * complete in the store costs nothing), and the wall time on the embedded runner. Pure arithmetic.
 *
 * <p>Per stage (rates in seconds per unit of the named {@link Workload}):
 *
 * <ul>
 *   <li>prepare: images of every split x {@link #PREPARE_SECONDS_PER_IMAGE} (assumed, not
 *       calibrated: decoding is small next to training);
 *   <li>features: the domain classifier's epochs x training images x {@link Workload.Classifier}
 *       (Inception: nothing to train);
 *   <li>refstats: training images x {@link Workload.Features};
 *   <li>teacher: steps x {@link Workload.Train}, plus each in-training evaluation: {@code
 *       evalSamples x evalSteps x} {@link Workload.Sample} (no CFG) and {@code 2 x evalSamples}
 *       featurized (the samples and as many real images);
 *   <li>variant: steps x its {@link Workload.Train};
 *   <li>generate: samples x sampler steps x {@link Workload.Sample} (with CFG when the scale is not
 *       0); nothing when the cell is already scored;
 *   <li>score: samples x {@link Workload.Features} + {@link #SCORE_SECONDS_PER_CELL};
 *   <li>compare and report: {@link #COMPARE_SECONDS}, {@link #REPORT_SECONDS}.
 * </ul>
 *
 * <p>Wall time with {@code slots} parallel workers in one JVM (the embedded Flink's parallelism),
 * phase after phase: training steps hold the engine's lock (one gradient collector per process), so
 * the training of the teacher, the variants and the classifier adds up whatever the parallelism;
 * the rest (reference statistics, generation and scoring, spread over seed-range shards) runs on
 * {@code slots} workers at once: {@code max(total / slots, longest job)}. The rates must have been
 * measured with the threads each worker gets ({@code cores / slots}).
 */
public final class StudyEstimator {
  /** Seconds per prepared image (decode, validate, write a record): assumed, not measured. */
  public static final double PREPARE_SECONDS_PER_IMAGE = 2e-4;

  /** Statistics of a scored cell beyond featurizing (FID, IS, KID, PRDC and their folds). */
  public static final double SCORE_SECONDS_PER_CELL = 3;

  public static final double COMPARE_SECONDS = 1;
  public static final double REPORT_SECONDS = 2;

  /** The class count assumed for a conditional study before its data is prepared. */
  static final int ASSUMED_CLASSES = 10;

  private StudyEstimator() {}

  /**
   * One stage of the plan.
   *
   * @param complete already in the store: costs nothing
   * @param seconds the work left, on one worker
   * @param detail how it was computed
   */
  public record Line(
      String stage, String key, String label, boolean complete, double seconds, String detail) {}

  /**
   * The study's cost.
   *
   * @param wallSeconds the estimated wall time of what is left
   * @param workSeconds the sum of the stages' work
   */
  public record Estimate(List<Line> lines, double wallSeconds, double workSeconds, int slots) {}

  /** The UNet the study trains, as the stages build it (classes assumed before preparing). */
  public static UNetConfig unet(ExperimentSpec spec) {
    return StageConfigs.unet(spec, spec.data().conditional() ? ASSUMED_CLASSES : 0);
  }

  /** Every workload whose rate {@link #estimate} needs for {@code spec}. */
  public static List<Workload> workloads(ExperimentSpec spec) {
    Set<Workload> out = new LinkedHashSet<>();
    TeacherSpec t = spec.teacher();
    UNetConfig u = unet(spec);
    out.add(new Workload.Train(t.model(), u, t.batchSize(), false, ""));
    for (VariantSpec v : spec.variants()) {
      out.add(train(spec, v));
    }
    GenerationSpec g = spec.generation();
    for (SamplingSetting s : g.settings()) {
      for (double scale : g.cfgScales()) {
        out.add(new Workload.Sample(t.model(), u, g.batchSize(), scale != 0, s.precision()));
      }
    }
    if (t.evaluates()) {
      out.add(new Workload.Sample(t.model(), u, evalBatch(spec), false));
    }
    out.add(features(spec));
    if (spec.features().network().equals("domain")) {
      out.add(new Workload.Classifier(spec.data().resolution(), spec.data().channels()));
    }
    return List.copyOf(out);
  }

  static Workload.Train train(ExperimentSpec spec, VariantSpec v) {
    return new Workload.Train(
        spec.teacher().model(),
        unet(spec),
        v.batchSize(),
        v.selfPerceptual(),
        v.selfPerceptual() ? v.layers() : "");
  }

  static Workload.Features features(ExperimentSpec spec) {
    return new Workload.Features(
        spec.features().network(),
        spec.features().resize(),
        spec.data().resolution(),
        spec.data().channels(),
        spec.features().batchSize());
  }

  /** The batch of the teacher's in-training evaluation samples. */
  static int evalBatch(ExperimentSpec spec) {
    return TeacherEval.batch(spec);
  }

  /**
   * @param complete whether {@code (stage, key)} is complete in the store
   * @param slots parallel workers of the runner (its parallelism)
   */
  public static Estimate estimate(
      Plan plan, Rates rates, BiPredicate<String, String> complete, DataCounts data, int slots) {
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be >= 1, got " + slots);
    }
    ExperimentSpec spec = plan.spec();
    List<Line> lines = new ArrayList<>();
    double feat = rates.of(features(spec));

    boolean prepDone = complete.test(Plan.PREPARE, plan.prepareKey());
    double prep = data.all() * PREPARE_SECONDS_PER_IMAGE;
    lines.add(
        line(
            Plan.PREPARE,
            plan.prepareKey(),
            spec.data().source(),
            prepDone,
            prep,
            fmt("%d images x %.1e s (assumed)", data.all(), PREPARE_SECONDS_PER_IMAGE)));

    boolean featDone = complete.test(Plan.FEATURES, plan.featuresKey());
    double classifier = 0;
    String classifierDetail = "Inception: weights only";
    if (spec.features().network().equals("domain")) {
      double r =
          rates.of(new Workload.Classifier(spec.data().resolution(), spec.data().channels()));
      classifier = spec.features().classifierEpochs() * data.train() * r;
      classifierDetail =
          fmt(
              "%d epochs x %d images x %.2e s",
              spec.features().classifierEpochs(), data.train(), r);
    }
    lines.add(
        line(
            Plan.FEATURES,
            plan.featuresKey(),
            spec.features().network(),
            featDone,
            classifier,
            classifierDetail));

    boolean refDone = complete.test(Plan.REFSTATS, plan.refKey());
    double ref = data.train() * feat;
    lines.add(
        line(
            Plan.REFSTATS,
            plan.refKey(),
            "reference statistics",
            refDone,
            ref,
            fmt("%d images x %.2e s", data.train(), feat)));

    TeacherSpec t = spec.teacher();
    boolean teacherDone = complete.test(Plan.TEACHER, plan.teacherKey());
    double tr = rates.of(new Workload.Train(t.model(), unet(spec), t.batchSize(), false, ""));
    double teacher = t.steps() * tr;
    String teacherDetail = fmt("%d steps x %.3f s", t.steps(), tr);
    if (t.evaluates()) {
      int evals = t.evalAt(t.steps()).size();
      double sr = rates.of(new Workload.Sample(t.model(), unet(spec), evalBatch(spec), false));
      double perEval = t.evalSamples() * (double) t.evalSteps() * sr + 2.0 * t.evalSamples() * feat;
      teacher += evals * perEval;
      teacherDetail += fmt(" + %d evaluations x %.1f s", evals, perEval);
    }
    lines.add(line(Plan.TEACHER, plan.teacherKey(), t.name(), teacherDone, teacher, teacherDetail));

    double variants = 0;
    for (Plan.VariantStage v : plan.variants()) {
      boolean done = complete.test(Plan.VARIANT, v.key());
      double r = rates.of(train(spec, v.spec()));
      double s = v.spec().steps() * r;
      variants += done ? 0 : s;
      lines.add(
          line(
              Plan.VARIANT,
              v.key(),
              v.label(),
              done,
              s,
              fmt("%d steps x %.3f s", v.spec().steps(), r)));
    }

    GenerationSpec g = spec.generation();
    int shards = (int) Math.ceil(g.samples() / (double) g.shardSize());
    double cellWork = 0;
    double longestShard = 0;
    for (Plan.Cell c : plan.cells()) {
      boolean scored = complete.test(Plan.SCORE, c.scoreKey());
      boolean generated = scored || complete.test(Plan.GENERATE, c.generateKey());
      SamplingSetting s = c.setting();
      double sr =
          rates.of(
              new Workload.Sample(
                  t.model(), unet(spec), g.batchSize(), c.cfgScale() != 0, s.precision()));
      double gen = g.samples() * (double) s.steps() * sr;
      double score = g.samples() * feat + SCORE_SECONDS_PER_CELL;
      lines.add(
          line(
              Plan.GENERATE,
              c.generateKey(),
              c.label(),
              generated,
              gen,
              fmt("%d samples x %d steps x %.2e s", g.samples(), s.steps(), sr)));
      lines.add(
          line(
              Plan.SCORE,
              c.scoreKey(),
              c.label(),
              scored,
              score,
              fmt("%d samples x %.2e s + %.0f s", g.samples(), feat, SCORE_SECONDS_PER_CELL)));
      double left = (generated ? 0 : gen) + (scored ? 0 : score);
      cellWork += left;
      longestShard = Math.max(longestShard, left / shards);
    }
    double tail = 0;
    for (Plan.Comparison c : plan.comparisons()) {
      boolean done = complete.test(Plan.COMPARE, c.key());
      tail += done ? 0 : COMPARE_SECONDS;
      lines.add(line(Plan.COMPARE, c.key(), c.label(), done, COMPARE_SECONDS, "constant"));
    }
    boolean reportDone = complete.test(Plan.REPORT, plan.reportKey());
    // The report is rewritten on every run (cheap), so it is always counted.
    tail += REPORT_SECONDS;
    lines.add(
        line(Plan.REPORT, plan.reportKey(), "report", reportDone, REPORT_SECONDS, "constant"));

    double prepLeft = prepDone ? 0 : prep;
    double classifierLeft = featDone ? 0 : classifier;
    double refLeft = refDone ? 0 : ref;
    double teacherLeft = teacherDone ? 0 : teacher;
    double phase2;
    if (t.evaluates() && !teacherDone) {
      // The evaluated teacher waits for the reference statistics.
      phase2 = classifierLeft + refLeft + teacherLeft;
    } else {
      phase2 =
          Math.max(
              Math.max(classifierLeft + teacherLeft, classifierLeft + refLeft),
              (classifierLeft + refLeft + teacherLeft) / slots);
    }
    double phase4 = Math.max(cellWork / slots, longestShard);
    double wall = prepLeft + phase2 + variants + phase4 + tail;
    double work = prepLeft + classifierLeft + refLeft + teacherLeft + variants + cellWork + tail;
    return new Estimate(List.copyOf(lines), wall, work, slots);
  }

  private static Line line(
      String stage, String key, String label, boolean complete, double seconds, String detail) {
    return new Line(stage, key, label, complete, complete ? 0 : seconds, detail);
  }

  private static String fmt(String f, Object... args) {
    return String.format(Locale.ROOT, f, args);
  }

  /** {@code 42s}, {@code 7m05s}, {@code 3h12m}. */
  public static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
        : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }
}
