package org.spdiff.metrics.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spdiff.metrics.compare.CellProfile;
import org.spdiff.metrics.compare.CellProfiles;
import org.spdiff.metrics.compare.ComparisonReference;
import org.spdiff.metrics.compare.ComparisonSettings;
import org.spdiff.metrics.compare.Difference;
import org.spdiff.metrics.compare.FidJackknife;
import org.spdiff.metrics.compare.InceptionScoreJackknife;
import org.spdiff.metrics.compare.KidJackknife;
import org.spdiff.metrics.compare.Metric;
import org.spdiff.metrics.compare.PairedComparison;
import org.spdiff.metrics.compare.PairedFolds;
import org.spdiff.metrics.fid.FidInfinity;
import org.spdiff.metrics.fid.FrechetReference;
import org.spdiff.metrics.fid.PerClassFid;
import org.spdiff.metrics.linalg.LibtorchMultiplier;
import org.spdiff.metrics.linalg.MatrixMultiplier;
import org.spdiff.metrics.prdc.Prdc;
import org.spdiff.metrics.prdc.PrdcReference;
import org.spdiff.metrics.stats.FeatureMatrix;
import org.spdiff.metrics.stats.FeatureStats;
import org.spdiff.metrics.stats.PerClassInceptionScore;

/**
 * Seconds for every comparison statistic of one cell (N = 10,000 generated rows; d = 128 and 2048),
 * against the per-cell generation + featurization time, with the defaults the study uses: FID over
 * 10 paired jackknife folds (11 Fréchet distances), IS with 10 splits on 1008-way logits, KID with
 * 100 subsets of 1000, precision/recall/density/coverage (k = 3, 5) against a reference subset of N
 * rows with the fold-deleted values, FID-infinity (tenths of N from max(N/10, min(2d, N/2)): 5 more
 * FIDs at d = 2048), per-class FID and IS over 10 classes, and the paired comparison of two cells.
 * The reference side (factor, PRDC radii, per-class references) is built once per study and
 * reported apart.
 *
 * <p>Run: {@code mvn -o -q -B -pl metrics -am test -Dtest=ComparisonBenchmark
 * -Dsurefire.excludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Ddjl.cache.dir=$HOME/.djl.ai [-Dbench.dims=128,2048] [-Dbench.n=10000]
 * [-Dbench.imagesPerSecond=6.5]}; figures in {@code
 * metrics/target/surefire-reports/org.spdiff.metrics.bench.ComparisonBenchmark-output.txt}.
 */
@Tag("bench")
class ComparisonBenchmark {
  static final int CLASSES = 10;
  static final int LOGITS = 1008;

  /** Rows with a low-rank correlated part, a per-class mean shift and per-dim scales. */
  static FeatureMatrix rows(long seed, int n, int d, int[] labels, double shift) {
    Random r = new Random(seed);
    int rank = Math.min(32, d);
    double[] w = new double[rank * d];
    Random wr = new Random(99);
    for (int i = 0; i < w.length; i++) {
      w[i] = wr.nextGaussian() / Math.sqrt(rank);
    }
    double[] z = new double[n * rank];
    for (int i = 0; i < z.length; i++) {
      z[i] = r.nextGaussian();
    }
    double[] x = LibtorchMultiplier.INSTANCE.multiply(z, w, n, rank, d);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        x[i * d + j] +=
            (0.5 + (double) j / d) * r.nextGaussian() + shift + (j == labels[i] % d ? 2.0 : 0);
      }
    }
    return FeatureMatrix.of(x, n, d);
  }

  static double[][] logits(long seed, int n, int[] labels) {
    Random r = new Random(seed);
    double[][] l = new double[n][LOGITS];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < LOGITS; c++) {
        l[i][c] = r.nextGaussian();
      }
      l[i][labels[i]] += 6;
    }
    return l;
  }

  static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  /** Wall and whole-process CPU seconds (all threads, libtorch's included) of one step. */
  static final class Timer {
    final long wall0 = System.nanoTime();
    final long cpu0 = OS.getProcessCpuTime();
    double wall;
    double cpu;

    void stop() {
      wall = (System.nanoTime() - wall0) / 1e9;
      cpu = (OS.getProcessCpuTime() - cpu0) / 1e9;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%.1f / %.1f", wall, cpu);
    }
  }

  @Test
  void comparisonStatisticsPerCell() throws Exception {
    int n = Integer.getInteger("bench.n", 10_000);
    double ips = Double.parseDouble(System.getProperty("bench.imagesPerSecond", "6.5"));
    String load = Files.readString(Path.of("/proc/loadavg")).trim();
    System.out.printf(
        Locale.ROOT,
        "N = %d, cores = %d, libtorch threads = %s, load average at start: %s%n",
        n,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("ai.djl.pytorch.num_threads"),
        load);
    for (String ds : System.getProperty("bench.dims", "128,2048").split(",")) {
      run(n, Integer.parseInt(ds.trim()), ips);
    }
    System.out.printf(
        Locale.ROOT,
        "load average at end: %s%n",
        Files.readString(Path.of("/proc/loadavg")).trim());
  }

  static void run(int n, int d, double ips) {
    MatrixMultiplier p = LibtorchMultiplier.INSTANCE;
    ComparisonSettings s = ComparisonSettings.defaults();
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % CLASSES;
    }
    FeatureMatrix refRows = rows(1, n, d, labels, 0);
    FeatureMatrix a = rows(2, n, d, labels, 0.02);
    FeatureMatrix b = rows(2, n, d, labels, 0.05);
    double[][] logitsA = logits(3, n, labels);
    double[][] logitsB = logits(4, n, labels);
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }

    long t = System.nanoTime();
    FrechetReference fidRef = FrechetReference.of(FeatureStats.of(refRows, all, p));
    double tFidRef = seconds(t);
    t = System.nanoTime();
    ComparisonReference reference = ComparisonReference.of(fidRef, refRows, n, 1, 3, 5, s, p);
    PrdcReference prdcRef = reference.prdc();
    double tPrdcRef = seconds(t);
    t = System.nanoTime();
    Map<Integer, FrechetReference> classRefs = PerClassFid.references(refRows, labels, p);
    double tClassRef = seconds(t);
    System.out.printf(
        Locale.ROOT,
        "%nd = %d: once per study: FID reference %.1f s, PRDC radii + KID reference sums %.1f s, %d"
            + " per-class references %.1f s%n",
        d,
        tFidRef,
        tPrdcRef,
        classRefs.size(),
        tClassRef);

    PairedFolds folds = PairedFolds.of(n, s.folds(), s.foldSeed());
    // Components, one at a time (each also runs inside CellProfiles.compute below).
    Timer t1 = new Timer();
    FidJackknife.Result fid = FidJackknife.profile(fidRef, a, folds, p);
    t1.stop();
    Timer t2 = new Timer();
    InceptionScoreJackknife.profile(logitsA, folds, s.isSplits(), s.isSeed());
    t2.stop();
    Timer t3 = new Timer();
    Prdc.computeWithFolds(prdcRef, a, folds.foldOfAll(), folds.groups());
    t3.stop();
    Timer t4 = new Timer();
    KidJackknife.profile(reference.kid(), a, folds, p);
    t4.stop();

    // What the pipeline calls per cell: everything above, KID riding on the PRDC pass.
    Timer cellA = new Timer();
    CellProfile pa = CellProfiles.compute(reference, a, logitsA, s, p);
    cellA.stop();
    Timer classes = new Timer();
    PerClassFid.compute(a, labels, classRefs, p);
    PerClassInceptionScore.compute(logitsA, labels, s.isSplits(), s.isSeed());
    classes.stop();
    CellProfile pb = CellProfiles.compute(reference, b, logitsB, s, p);
    Timer compare = new Timer();
    Map<Metric, Difference> diff = PairedComparison.compare(List.of(pa), List.of(pb));
    compare.stop();

    FidInfinity inf = pa.fidInfinity();
    System.out.printf(
        Locale.ROOT,
        "d = %d components (wall s / process cpu s): FID jackknife + FID-inf (%d folds, %d + %d"
            + " FIDs) %s | IS jackknife %s | PRDC + folds %s | KID with its own products (%d x %d)"
            + " %s%n",
        d,
        folds.groups(),
        folds.groups() + 1,
        inf.grid().length - 1,
        t1,
        t2,
        t3,
        s.kidSubsets(),
        s.kidSubsetSize(),
        t4);
    double perCell = cellA.wall + classes.wall + compare.wall;
    double perCellCpu = cellA.cpu + classes.cpu + compare.cpu;
    double cell = n / ips;
    System.out.printf(
        Locale.ROOT,
        "d = %d per cell: CellProfiles.compute (FID, FID-inf, IS, PRDC, KID on the PRDC pass) %s |"
            + " per-class FID + IS (%d classes) %s | paired comparison %s%n",
        d,
        cellA,
        classRefs.size(),
        classes,
        compare);
    System.out.printf(
        Locale.ROOT,
        "d = %d TOTAL per cell %.1f s wall (%.1f s cpu, %.1f s if both cores were ours);"
            + " generation + featurization of %d images at %.1f img/s = %.0f s: ratio %.1f%% wall,"
            + " %.1f%% at cpu/2 (5 img/s: %.1f%%, 8 img/s: %.1f%% wall)%n",
        d,
        perCell,
        perCellCpu,
        perCellCpu / Runtime.getRuntime().availableProcessors(),
        n,
        ips,
        cell,
        100 * perCell / cell,
        100 * perCellCpu / Runtime.getRuntime().availableProcessors() / cell,
        100 * perCell / (n / 5.0),
        100 * perCell / (n / 8.0));
    Difference df = diff.get(Metric.FID);
    System.out.printf(
        Locale.ROOT,
        "d = %d sanity: FID A %.4f, dFID %.4f [%.4f, %.4f], FID-inf %.4f (residual %.4f), %s%n",
        d,
        pa.value(Metric.FID),
        df.estimate(),
        df.lower(),
        df.upper(),
        inf.value(),
        inf.residual(),
        pa.warnings());
  }
}
