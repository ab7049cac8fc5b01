package org.spdiff.pipelines.estimate;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * What {@code spdiff run EXP --planOnly=true} prints: every stage with its key, whether it is
 * complete and the estimated time of the work it has left, then the total wall time on this machine
 * and where the calibration came from. Calibrates the workloads this machine has not measured yet
 * (and caches them); a second call measures nothing.
 */
public final class PlanReport {
  private PlanReport() {}

  /** The result of {@link #estimate}. */
  public record Costed(
      StudyEstimator.Estimate estimate,
      int measured,
      double calibrationSeconds,
      Path cacheFile,
      Machine machine,
      DataCounts data,
      double loadWhileMeasuring) {}

  /**
   * Estimates {@code plan}'s cost, measuring what the cache lacks.
   *
   * @param slots the runner's parallelism
   * @param log progress of the calibration (one line per workload)
   */
  public static Costed estimate(
      Plan plan,
      ArtifactStore store,
      Path cacheDir,
      int slots,
      boolean recalibrate,
      Consumer<String> log) {
    Machine machine = Machine.current();
    CalibrationCache cache = new CalibrationCache(cacheDir, machine);
    Rates rates = recalibrate ? new Rates(machine.id(), java.util.Map.of()) : cache.load();
    List<Workload> missing =
        StudyEstimator.workloads(plan.spec()).stream().filter(w -> !rates.has(w)).toList();
    double seconds = 0;
    double load = Double.NaN;
    Rates all = rates;
    if (!missing.isEmpty()) {
      load = Machine.loadAverage();
      log.accept(
          "calibrating "
              + missing.size()
              + " workload(s) on this machine (once; cached in "
              + cache.file()
              + ")");
      long t0 = System.nanoTime();
      Calibrator calibrator = new Calibrator(plan.spec(), log);
      load = Math.max(load, calibrator.loadAtStart());
      all = rates.with(calibrator.measure(missing, rates));
      seconds = (System.nanoTime() - t0) / 1e9;
      cache.save(recalibrate ? all : cache.load().with(all.secondsPer()));
    }
    DataCounts data = DataCounts.of(plan.spec());
    StudyEstimator.Estimate e = StudyEstimator.estimate(plan, all, store::isComplete, data, slots);
    return new Costed(e, missing.size(), seconds, cache.file(), machine, data, load);
  }

  /** The plan with its estimate, as printed. */
  public static String describe(Plan plan, ArtifactStore store, Costed c) {
    StringBuilder sb = new StringBuilder();
    sb.append("experiment ")
        .append(plan.spec().name())
        .append(" -> store ")
        .append(store.root())
        .append('\n');
    int complete = 0;
    for (StudyEstimator.Line l : c.estimate().lines()) {
      complete += l.complete() ? 1 : 0;
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-9s %s  %-8s %8s  %s  [%s]%n",
              l.stage(),
              l.key(),
              l.complete() ? "complete" : "todo",
              l.complete() ? "-" : StudyEstimator.duration(l.seconds()),
              l.label(),
              l.detail()));
    }
    StudyEstimator.Estimate e = c.estimate();
    sb.append(
        String.format(
            Locale.ROOT,
            "estimate: %s wall on this machine (%s; parallelism %d, %d libtorch threads per"
                + " worker; training steps run one at a time in the JVM), %s of work left;"
                + " %d of %d stages complete%n",
            StudyEstimator.duration(e.wallSeconds()),
            c.machine().cpu(),
            e.slots(),
            c.machine().threads(),
            StudyEstimator.duration(e.workSeconds()),
            complete,
            e.lines().size()));
    sb.append(
        String.format(
            Locale.ROOT,
            "data: %d training images, %d in all (%s)%n",
            c.data().train(),
            c.data().all(),
            c.data().note()));
    sb.append(
        c.measured() == 0
            ? "calibration: cached, " + c.cacheFile() + "\n"
            : String.format(
                Locale.ROOT,
                "calibration: measured %d workload(s) in %.1f s, cached in %s%s%n",
                c.measured(),
                c.calibrationSeconds(),
                c.cacheFile(),
                c.loadWhileMeasuring() > 0.5 * c.machine().cores()
                    ? String.format(
                        Locale.ROOT,
                        " (the load average was %.1f on %d cores when measuring began: other"
                            + " work slowed it, so the estimate is pessimistic; --recalibrate=true"
                            + " on a quiet machine measures again)",
                        c.loadWhileMeasuring(),
                        c.machine().cores())
                    : ""));
    return sb.toString();
  }
}
