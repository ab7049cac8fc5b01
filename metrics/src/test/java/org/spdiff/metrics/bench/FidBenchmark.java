package org.spdiff.metrics.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spdiff.metrics.fid.CommonsMathEngine;
import org.spdiff.metrics.fid.FastEngine;
import org.spdiff.metrics.fid.FidResult;
import org.spdiff.metrics.fid.FrechetDistance;
import org.spdiff.metrics.fid.FrechetEngine;
import org.spdiff.metrics.fid.FrechetReference;
import org.spdiff.metrics.io.StatsNpz;
import org.spdiff.metrics.linalg.JavaMultiplier;
import org.spdiff.metrics.linalg.LibtorchMultiplier;
import org.spdiff.metrics.stats.FeatureMoments;

/**
 * Seconds for one FID at d = 2048 against a cached reference, per engine. Covariances are those of
 * 4096 seeded Gaussian samples mixed by a random matrix (well conditioned). Writes the two moment
 * sets to {@code target/bench/fid_{ref,gen}.npz} for {@code bench/fid_peers.py} (scipy / numpy on
 * the same inputs).
 *
 * <p>Run: {@code mvn -o -q install -pl metrics -Dtest=FidBenchmark -Dsurefire.excludedGroups=none
 * [-Dbench.d=2048] [-Dbench.commons=true]}; figures in {@code
 * target/surefire-reports/org.spdiff.metrics.bench.FidBenchmark-output.txt}.
 */
@Tag("bench")
class FidBenchmark {

  static FeatureMoments moments(long seed, int d, int n) {
    Random r = new Random(seed);
    // S = B B^T / n + 0.05 I with B (d, n) Gaussian, plus a per-dim scale: eigenvalues in ~[0.1,
    // 10].
    double[] b = new double[d * n];
    for (int i = 0; i < d; i++) {
      double scale = 0.5 + 2.0 * i / d;
      for (int j = 0; j < n; j++) {
        b[i * n + j] = r.nextGaussian() * scale;
      }
    }
    double[] s = LibtorchMultiplier.INSTANCE.multiplyTransB(b, b, d, n, d);
    double[][] sigma = new double[d][d];
    double[] mu = new double[d];
    for (int i = 0; i < d; i++) {
      mu[i] = r.nextGaussian() * 0.3;
      for (int j = 0; j < d; j++) {
        sigma[i][j] = s[i * d + j] / n + (i == j ? 0.05 : 0);
      }
    }
    return new FeatureMoments(mu, sigma);
  }

  @Test
  void oneScoreAgainstACachedReference() throws Exception {
    int d = Integer.getInteger("bench.d", 2048);
    boolean commons = Boolean.parseBoolean(System.getProperty("bench.commons", "true"));
    FeatureMoments ref = moments(1, d, 4096);
    FeatureMoments gen = moments(2, d, 4096);
    Path out = Path.of("target/bench");
    Files.createDirectories(out);
    StatsNpz.write(out.resolve("fid_ref.npz"), ref);
    StatsNpz.write(out.resolve("fid_gen.npz"), gen);
    System.out.printf("d = %d, cores = %d%n", d, Runtime.getRuntime().availableProcessors());
    breakdown(ref, gen);
    run(new FastEngine(), ref, gen);
    run(new FastEngine(LibtorchMultiplier.INSTANCE, true), ref, gen);
    if (d <= 1024) {
      run(new FastEngine(JavaMultiplier.INSTANCE, true), ref, gen);
    }
    if (commons) {
      run(new CommonsMathEngine(), ref, gen);
    }
  }

  @Test
  void accumulateFeatureStats() {
    int d = Integer.getInteger("bench.d", 2048);
    int n = 4096;
    Random r = new Random(3);
    double[][] batch = new double[64][d];
    org.spdiff.metrics.stats.FeatureStats stats = new org.spdiff.metrics.stats.FeatureStats(d);
    long t0 = System.nanoTime();
    for (int done = 0; done < n; done += batch.length) {
      for (double[] row : batch) {
        for (int j = 0; j < d; j++) {
          row[j] = r.nextGaussian();
        }
      }
      stats.add(batch);
    }
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "FeatureStats.add: %d rows of d = %d in batches of %d: %.2f s (%.0f rows/s)%n",
        n, d, batch.length, s, n / s);
  }

  /** Where the fast path's time goes: the two libtorch products vs EJML eigenvalues. */
  static void breakdown(FeatureMoments ref, FeatureMoments gen) {
    int d = ref.dim();
    double[] s1 = new double[d * d];
    double[] s2 = new double[d * d];
    for (int i = 0; i < d; i++) {
      System.arraycopy(ref.sigma()[i], 0, s1, i * d, d);
      System.arraycopy(gen.sigma()[i], 0, s2, i * d, d);
    }
    LibtorchMultiplier.INSTANCE.multiply(s1, s2, d, d, d); // engine warm-up
    long t0 = System.nanoTime();
    double[] t = LibtorchMultiplier.INSTANCE.multiply(s2, s1, d, d, d);
    double[] c = LibtorchMultiplier.INSTANCE.multiplyTransA(s1, t, d, d, d);
    long t1 = System.nanoTime();
    for (int i = 0; i < d; i++) {
      for (int j = i + 1; j < d; j++) {
        c[j * d + i] = c[i * d + j];
      }
    }
    var eig = org.ejml.dense.row.factory.DecompositionFactory_DDRM.eig(d, false, true);
    eig.decompose(org.ejml.data.DMatrixRMaj.wrap(d, d, c));
    long t2 = System.nanoTime();
    System.out.printf(
        "breakdown: 2 libtorch float64 products %.2f s, EJML symmetric eigenvalues %.2f s%n",
        (t1 - t0) / 1e9, (t2 - t1) / 1e9);
  }

  static void run(FrechetEngine engine, FeatureMoments ref, FeatureMoments gen) {
    long t0 = System.nanoTime();
    FrechetReference cached = FrechetReference.of(ref, engine);
    long t1 = System.nanoTime();
    FidResult warm = FrechetDistance.compute(cached, gen);
    long t2 = System.nanoTime();
    FidResult again = FrechetDistance.compute(cached, gen);
    long t3 = System.nanoTime();
    System.out.printf(
        "%-24s reference %.2f s | score %.2f s, again %.2f s | FID %.10f %s%n",
        engine.name(),
        (t1 - t0) / 1e9,
        (t2 - t1) / 1e9,
        (t3 - t2) / 1e9,
        again.value(),
        warm.warnings());
  }
}
