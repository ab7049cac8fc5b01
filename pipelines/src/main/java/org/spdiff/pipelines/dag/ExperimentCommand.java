package org.spdiff.pipelines.dag;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.spdiff.core.engine.CpuBudget;
import org.spdiff.metrics.io.CachedDownload;
import org.spdiff.metrics.io.DownloadException;
import org.spdiff.pipelines.cli.CliOptions;
import org.spdiff.pipelines.cli.Command;
import org.spdiff.pipelines.cli.UsageException;
import org.spdiff.pipelines.estimate.PlanReport;
import org.spdiff.pipelines.experiment.ExperimentException;
import org.spdiff.pipelines.experiment.ExperimentFiles;
import org.spdiff.pipelines.experiment.ExperimentSpec;
import org.spdiff.pipelines.stages.DownloadedInceptionWeights;
import org.spdiff.pipelines.stages.ReportStage;
import org.spdiff.pipelines.stages.StageCounters;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * {@code spdiff run EXPERIMENT} and its partial forms {@code train}, {@code sample}, {@code score}
 * and {@code report}: load and validate the experiment (before any work), plan the keys, build one
 * Beam pipeline up to the requested stage, run it, and print the table.
 */
public final class ExperimentCommand implements Command {
  private final String name;
  private final ExperimentPipeline.Until until;
  private final String summary;

  private ExperimentCommand(String name, ExperimentPipeline.Until until, String summary) {
    this.name = name;
    this.until = until;
    this.summary = summary;
  }

  public static List<Command> all() {
    return List.of(
        new ExperimentCommand(
            "run",
            ExperimentPipeline.Until.REPORT,
            "run a whole study: train, sample, score, report"),
        new ExperimentCommand(
            "train",
            ExperimentPipeline.Until.TRAIN,
            "run a study up to training (teacher and variants)"),
        new ExperimentCommand(
            "sample",
            ExperimentPipeline.Until.SAMPLE,
            "run a study up to generation (samples, grids)"),
        new ExperimentCommand(
            "score",
            ExperimentPipeline.Until.SCORE,
            "run a study up to scoring (FID, IS, KID per cell)"),
        new ExperimentCommand(
            "report",
            ExperimentPipeline.Until.REPORT,
            "write a study's report (runs whatever is not yet in the store)"));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String summary() {
    return summary;
  }

  @Override
  public String positionals() {
    return "EXPERIMENT.yaml";
  }

  @Override
  public Class<? extends PipelineOptions> optionsClass() {
    return ExperimentOptions.class;
  }

  @Override
  public int run(List<String> positionals, String[] flags) throws Exception {
    if (positionals.size() != 1) {
      throw new UsageException(
          "expected one experiment file, got " + positionals.size() + " arguments");
    }
    ExperimentOptions options = CliOptions.parse(flags, ExperimentOptions.class);
    ExperimentSpec spec;
    try {
      spec = ExperimentFiles.load(Path.of(positionals.get(0)));
    } catch (ExperimentException e) {
      throw new UsageException(e.getMessage(), e);
    }
    if (!options.getStore().isEmpty()) {
      spec = spec.withStore(options.getStore());
    }
    configureThreads(options);
    FileSystems.setDefaultPipelineOptions(options);
    ArtifactStore store = new ArtifactStore(spec.store());
    checkStoreWritable(
        store,
        options.getStore().isEmpty()
            ? positionals.get(0) + ": store"
            : "--store=" + options.getStore());
    Plan plan = Plan.of(spec);
    if (options.isPlanOnly()) {
      if (!options.isEstimate()) {
        System.out.print(describe(plan, store));
        return 0;
      }
      Path cacheDir =
          options.getCacheDir().isEmpty()
              ? CachedDownload.defaultCacheDir()
              : Path.of(options.getCacheDir());
      int slots = Math.max(1, options.as(FlinkPipelineOptions.class).getParallelism());
      PlanReport.Costed costed =
          PlanReport.estimate(
              plan,
              store,
              cacheDir,
              slots,
              options.isRecalibrate(),
              m -> System.err.println("  " + m));
      System.out.print(PlanReport.describe(plan, store, costed));
      return 0;
    }
    stageInceptionWeights(plan, store);
    Pipeline p = Pipeline.create(options);
    ExperimentPipeline.build(p, plan, store, until);
    long t0 = System.nanoTime();
    PipelineResult.State state;
    PipelineResult result;
    try (ResumeNotice notice =
        ResumeNotice.install(name, positionals.get(0), flags, store.root())) {
      result = p.run();
      state = result.waitUntilFinish();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (state != PipelineResult.State.DONE) {
      System.err.println("spdiff " + name + ": pipeline ended in state " + state);
      return 1;
    }
    System.out.println(summary(result, seconds));
    if (until == ExperimentPipeline.Until.REPORT) {
      String dir = ReportStage.latestDir(store, spec.name());
      byte[] table = ArtifactStore.readFile(dir + "/table.md").orElse(new byte[0]);
      System.out.println();
      System.out.print(new String(table, StandardCharsets.UTF_8));
      System.out.println();
      System.out.println(
          "report: " + dir + "/report.html (also table.md, table.csv, scores.json, grids/)");
    }
    return 0;
  }

  /**
   * A study with Inception features and no weights file: pytorch-fid's release is downloaded here,
   * once, and copied into the features key before any worker starts (offline: exit 2 saying what to
   * download and where).
   */
  static void stageInceptionWeights(Plan plan, ArtifactStore store) {
    try {
      DownloadedInceptionWeights.stage(
          plan, store, DownloadedInceptionWeights.defaultRequest(), System.err::println);
    } catch (DownloadException e) {
      if (e.offline()) {
        throw new UsageException(
            e.getMessage() + " (or set features.inceptionWeights to the downloaded file)");
      }
      throw new IllegalStateException(e.getMessage());
    }
  }

  /**
   * libtorch threads: with several Beam/Flink threads per JVM, give each a share of the cores this
   * process can really use ({@link CpuBudget}: affinity, cgroup quota, cores held by other
   * processes; STACK.md: oversubscribed OpenMP threads run 10-20x slower). The choice is printed;
   * {@code SPDIFF_THREADS} or {@code --threadsPerWorker} fixes it.
   */
  static void configureThreads(ExperimentOptions options) {
    if (System.getProperty("ai.djl.pytorch.num_threads") != null
        && options.getThreadsPerWorker() == 0) {
      return;
    }
    int threads = options.getThreadsPerWorker();
    if (threads <= 0) {
      int cores = CpuBudget.usableCores();
      int parallelism = Math.max(1, options.as(FlinkPipelineOptions.class).getParallelism());
      threads = CpuBudget.threadsPerWorker(cores, parallelism);
      System.err.println(
          "libtorch threads per worker: "
              + threads
              + " ("
              + cores
              + " usable cores of "
              + Runtime.getRuntime().availableProcessors()
              + ", "
              + parallelism
              + " concurrent workers; SPDIFF_THREADS fixes it)");
    }
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }

  /**
   * Fails before any work when the store cannot be written.
   *
   * @param where what set the store (the experiment file and its field, or the flag)
   */
  static void checkStoreWritable(ArtifactStore store, String where) {
    String probe = store.root() + "/.spdiff-write-probe";
    try {
      ArtifactStore.writeFile(probe, new byte[] {1});
    } catch (RuntimeException e) {
      throw new UsageException(
          where + ": the artifact store " + store.root() + " is not writable: " + e.getMessage(),
          e);
    }
  }

  static String describe(Plan plan, ArtifactStore store) {
    StringBuilder sb = new StringBuilder();
    sb.append("experiment ")
        .append(plan.spec().name())
        .append(" -> store ")
        .append(store.root())
        .append('\n');
    line(sb, store, Plan.PREPARE, plan.prepareKey(), plan.spec().data().source());
    line(sb, store, Plan.FEATURES, plan.featuresKey(), plan.spec().features().network());
    line(sb, store, Plan.REFSTATS, plan.refKey(), "reference statistics");
    line(sb, store, Plan.TEACHER, plan.teacherKey(), plan.spec().teacher().name());
    for (Plan.VariantStage v : plan.variants()) {
      line(sb, store, Plan.VARIANT, v.key(), v.label());
    }
    for (Plan.Cell c : plan.cells()) {
      line(sb, store, Plan.GENERATE, c.generateKey(), c.label());
      line(sb, store, Plan.SCORE, c.scoreKey(), c.label());
    }
    for (Plan.Comparison c : plan.comparisons()) {
      line(sb, store, Plan.COMPARE, c.key(), c.label());
    }
    line(sb, store, Plan.REPORT, plan.reportKey(), "report");
    return sb.toString();
  }

  private static void line(
      StringBuilder sb, ArtifactStore store, String stage, String key, String what) {
    sb.append(
        String.format(
            Locale.ROOT,
            "  %-9s %s  %-8s %s%n",
            stage,
            key,
            store.isComplete(stage, key) ? "complete" : "todo",
            what));
  }

  static String summary(PipelineResult result, double seconds) {
    double verify = ArtifactStore.verificationSeconds();
    StringBuilder sb =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "done in %.1f s (store integrity: %.2f s recording and verifying hashes, %.2f%%)",
                seconds,
                verify,
                100 * verify / Math.max(seconds, 1e-9)));
    try {
      MetricQueryResults m = result.metrics().queryMetrics(MetricsFilter.builder().build());
      java.util.Map<String, Long> totals = new java.util.TreeMap<>();
      for (MetricResult<Long> c : m.getCounters()) {
        if (c.getName().getNamespace().equals(StageCounters.NAMESPACE)) {
          totals.merge(c.getName().getName(), c.getAttempted(), Long::sum);
        }
      }
      totals.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "; %s=%d", k, v)));
    } catch (UnsupportedOperationException e) {
      // Some runners do not report metrics to the launcher.
    }
    return sb.toString();
  }
}
