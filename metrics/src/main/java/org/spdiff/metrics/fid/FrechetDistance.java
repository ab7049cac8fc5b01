package org.spdiff.metrics.fid;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.spdiff.metrics.WorkerThreads;
import org.spdiff.metrics.stats.FeatureMoments;
import org.spdiff.metrics.stats.FeatureStats;

/**
 * Fréchet distance {@code ||mu1 - mu2||^2 + Tr(S1) + Tr(S2) - 2 Tr(sqrtm(S1 S2))} between two
 * Gaussians (Heusel et al. 2017), by the exact symmetric route: {@code Tr(sqrtm(S1 S2)) = sum_i
 * sqrt(max(lambda_i, 0))}, lambda the eigenvalues of {@code F^T S2 F} where {@code S1 = F F^T}.
 *
 * <p>Agrees with pytorch-fid's {@code calculate_frechet_distance} (scipy {@code sqrtm}) to ~1e-9
 * relative on well-conditioned inputs. Unlike scipy's general {@code sqrtm}, it never produces
 * complex parts; on singular covariances (fewer samples than dims) it returns a finite value plus a
 * warning. Non-finite inputs and mismatched dims throw {@link IllegalArgumentException}. A sum
 * within {@link #ROUNDING} of the traces (identical statistics) is reported as exactly 0: the
 * result is never negative.
 */
public final class FrechetDistance {
  private static volatile FrechetEngine defaultEngine;

  /** Relative to {@code Tr(S1) + Tr(S2)}, a distance below this is rounding and reported as 0. */
  static final double ROUNDING = 1e-12;

  private FrechetDistance() {}

  /**
   * The default engine: {@link FastEngine} (EJML eigenvalues-only, single-threaded, + libtorch
   * float64 products). It scores d = 2048 against a cached reference faster than pytorch-fid's
   * scipy {@code sqrtm} on the same machine; Commons Math computes eigenvectors it does not need
   * and multiplies naively (minutes per score at d = 2048), so it serves as the cross-check engine.
   */
  public static FrechetEngine defaultEngine() {
    FrechetEngine e = defaultEngine;
    if (e == null) {
      e = new FastEngine();
      defaultEngine = e;
    }
    return e;
  }

  /** Distance between a precomputed reference and generated moments. */
  public static FidResult compute(FrechetReference reference, FeatureMoments generated) {
    return compute(reference, generated, -1);
  }

  /** Distance between a precomputed reference and generated statistics; warns when count <= d. */
  public static FidResult compute(FrechetReference reference, FeatureStats generated) {
    return compute(reference, generated.moments(), generated.count());
  }

  /** One-off distance between two sets of moments with the default engine. */
  public static FidResult compute(FeatureMoments reference, FeatureMoments generated) {
    return compute(FrechetReference.of(reference), generated);
  }

  /** One-off distance between two sets of moments with the given engine. */
  public static FidResult compute(
      FeatureMoments reference, FeatureMoments generated, FrechetEngine engine) {
    return compute(FrechetReference.of(reference, engine), generated);
  }

  private static FidResult compute(FrechetReference ref, FeatureMoments gen, long count) {
    int d = ref.dim();
    if (gen.dim() != d) {
      throw new IllegalArgumentException(
          "dimension mismatch: reference has " + d + " dims, generated has " + gen.dim() + " dims");
    }
    double[] mu2 = gen.mu();
    requireFinite(mu2, "generated mu");
    double[] s2 = symmetricFlat(gen.sigma(), "generated sigma");
    List<String> warnings = new ArrayList<>(ref.warnings());
    if (count >= 0) {
      sampleCountWarning("generated", count, d).ifPresent(warnings::add);
    }
    double[] mu1 = ref.mu();
    double diff = 0;
    double trace2 = 0;
    for (int i = 0; i < d; i++) {
      double t = mu1[i] - mu2[i];
      diff += t * t;
      trace2 += s2[i * d + i];
    }
    FrechetEngine engine = ref.engine();
    double[] ev = engine.congruenceEigenvalues(ref.factor().f(), s2, d);
    double maxEv = 0;
    for (double v : ev) {
      maxEv = Math.max(maxEv, Math.abs(v));
    }
    double traceSqrt = 0;
    double mostNegative = 0;
    for (double v : ev) {
      if (!Double.isFinite(v)) {
        throw new IllegalStateException("non-finite eigenvalue from engine " + engine.name());
      }
      if (v > 0) {
        traceSqrt += Math.sqrt(v);
      } else {
        mostNegative = Math.min(mostNegative, v);
      }
    }
    if (mostNegative < -1e-8 * maxEv) {
      warnings.add(
          "F^T S2 F has an eigenvalue of "
              + mostNegative
              + " (largest "
              + maxEv
              + "): a covariance is not positive semi-definite; clamped at 0");
    }
    double value = diff + ref.trace() + trace2 - 2 * traceSqrt;
    // The distance is >= 0. A sum within rounding of the traces (identical statistics give about
    // +-1e-13) is cancellation, not distance: it is reported as exactly 0, never as a negative FID.
    if (value < ROUNDING * (ref.trace() + trace2)) {
      value = 0;
    }
    return new FidResult(value, warnings, engine.name());
  }

  /**
   * Computes {@code count} independent distances, at most {@link #parallelism()} at a time (EJML's
   * eigenvalue solver is single-threaded, so independent distances are what uses a second core).
   * Each task builds its statistics and releases them when done, so memory holds about five (d, d)
   * arrays per running task. Each task thread is prepared like a Beam worker thread ({@link
   * WorkerThreads}), so results do not depend on which thread computed them.
   *
   * @param reference reference of distance i
   * @param generated statistics of distance i, built inside the task
   * @return the distances in index order
   */
  public static FidResult[] computeAll(
      int count, IntFunction<FrechetReference> reference, IntFunction<FeatureStats> generated) {
    FidResult[] out = new FidResult[count];
    int threads = Math.min(parallelism(), count);
    if (threads <= 1) {
      for (int i = 0; i < count; i++) {
        out[i] = compute(reference.apply(i), generated.apply(i));
      }
      return out;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "frechet-distance");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<FidResult>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int k = i;
        futures.add(
            pool.submit(
                () -> {
                  WorkerThreads.prepare();
                  return compute(reference.apply(k), generated.apply(k));
                }));
      }
      for (int i = 0; i < count; i++) {
        try {
          out[i] = futures.get(i).get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException re) {
            throw re;
          }
          throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Distances computed at once by {@link #computeAll}: min(available processors, 4). */
  public static int parallelism() {
    return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
  }

  static Optional<String> sampleCountWarning(String which, long count, int d) {
    if (count <= d) {
      return Optional.of(
          "the "
              + which
              + " covariance comes from "
              + count
              + " samples in "
              + d
              + " dims, so it is singular (rank <= "
              + Math.max(count - 1, 0)
              + "): the FID is finite but strongly biased and not comparable with FIDs from more"
              + " samples than dims");
    }
    return Optional.empty();
  }

  static String singularWarning(String which, int rank, int d) {
    return "the "
        + which
        + " covariance is numerically singular (rank about "
        + rank
        + " of "
        + d
        + ", e.g. fewer samples than dims): the FID is finite but biased and unreliable";
  }

  static void requireFinite(double[] x, String name) {
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i])) {
        throw new IllegalArgumentException(name + " has a non-finite value " + x[i] + " at " + i);
      }
    }
  }

  /** Validates finiteness and returns {@code (S + S^T) / 2} row-major. */
  static double[] symmetricFlat(double[][] s, String name) {
    int d = s.length;
    double[] out = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double v = s[i][j];
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException(
              name + " has a non-finite value " + v + " at (" + i + ", " + j + ")");
        }
        out[i * d + j] = v;
      }
    }
    for (int i = 0; i < d; i++) {
      for (int j = i + 1; j < d; j++) {
        double v = 0.5 * (out[i * d + j] + out[j * d + i]);
        out[i * d + j] = v;
        out[j * d + i] = v;
      }
    }
    return out;
  }
}
