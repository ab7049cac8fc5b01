package org.spdiff.metrics.compare;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Paired differences between two arms A (e.g. the control) and B (a variant), each K >= 1 replicate
 * cells (replicate r of A paired with replicate r of B, e.g. by training seed), all of whose
 * samples are row-aligned: sample i has the same noise and class in every cell.
 *
 * <p><b>Estimator: a delete-a-group jackknife over paired folds</b>, not a paired bootstrap. The
 * estimate is {@code theta = mean_r (stat(B_r) - stat(A_r))}. Deleting fold g from every replicate
 * of both arms gives {@code theta_(g)}; the sampling variance is {@code V_s = (G - 1) / G sum_g
 * (theta_(g) - mean theta_(.))^2} (Efron and Stein 1981; grouped: Efron and Tibshirani 1993, ch.
 * 11). Deleting the same indices everywhere keeps the pairing (the noise of sample i is shared by
 * A, B and all replicates, so it cancels as far as it does in the estimate). Why not the bootstrap:
 * a percentile interval needs ~200 or more resamples, i.e. 400 FIDs per pair (about 23 minutes at d
 * = 2048), while the jackknife needs G + 1 FIDs per cell, computable cell by cell ({@link
 * CellProfile}) and reused for every comparison the cell takes part in; and a bootstrap resample
 * repeats samples, which are then their own nearest neighbours and shrink the k-NN radii behind
 * precision, recall, density and coverage, while a fold deletion leaves a valid smaller set.
 *
 * <p>Training-seed variation: with K >= 2 the per-replicate differences {@code delta_r} add {@code
 * V_r = s^2(delta) / K}. The interval is {@code theta +- t_{0.975, nu} sqrt(V_s + V_r)} with
 * Welch-Satterthwaite {@code nu = (V_s + V_r)^2 / (V_s^2 / (G - 1) + V_r^2 / (K - 1))}. It is
 * conservative: {@code s^2(delta)} also contains the part of the sampling noise that replicates do
 * not share, which V_s counts once more. With K = 1, {@code nu = G - 1} and the result says that
 * only sampling noise was measured.
 *
 * <p>What it targets: the expected difference at this n (FID is biased upwards by O(d / n), equally
 * in both arms only to first order), conditional on the reference set. The jackknife is consistent
 * for smooth statistics (FID, IS, KID are smooth functions of moments or U-statistics); precision,
 * recall, density and coverage are counts with jumps, for which a group jackknife with large groups
 * is only approximately right.
 */
public final class PairedComparison {
  private PairedComparison() {}

  /** Two-sided 95%. */
  public static final double LEVEL = 0.95;

  /**
   * Differences B minus A for every metric present in all cells.
   *
   * @param a K cells of arm A, replicate order
   * @param b K cells of arm B, the same replicate order
   */
  public static Map<Metric, Difference> compare(List<CellProfile> a, List<CellProfile> b) {
    if (a.isEmpty() || a.size() != b.size()) {
      throw new IllegalArgumentException(
          "need K >= 1 replicate cells in both arms, got " + a.size() + " and " + b.size());
    }
    Map<Metric, Difference> out = new EnumMap<>(Metric.class);
    for (Metric m : Metric.values()) {
      boolean everywhere =
          a.stream().allMatch(c -> c.metrics().containsKey(m))
              && b.stream().allMatch(c -> c.metrics().containsKey(m));
      if (everywhere) {
        out.put(
            m,
            difference(
                a.stream().map(c -> c.profile(m)).toList(),
                b.stream().map(c -> c.profile(m)).toList()));
      }
    }
    return out;
  }

  /**
   * The paired difference of one statistic.
   *
   * @param a K profiles of arm A (replicate order)
   * @param b K profiles of arm B (same order), all over the same folds and of the same metric
   */
  public static Difference difference(List<JackknifeProfile> a, List<JackknifeProfile> b) {
    int k = a.size();
    if (k == 0 || b.size() != k) {
      throw new IllegalArgumentException(
          "need K >= 1 replicate profiles in both arms, got " + a.size() + " and " + b.size());
    }
    JackknifeProfile first = a.get(0);
    for (List<JackknifeProfile> arm : List.of(a, b)) {
      for (JackknifeProfile p : arm) {
        if (p.metric() != first.metric()) {
          throw new IllegalArgumentException(
              "mixed metrics: " + p.metric() + " and " + first.metric());
        }
        if (!p.pairsWith(first)) {
          throw new IllegalArgumentException(
              "profiles are not paired: (n, folds, seed) = ("
                  + p.n()
                  + ", "
                  + p.groups()
                  + ", "
                  + p.foldSeed()
                  + ") vs ("
                  + first.n()
                  + ", "
                  + first.groups()
                  + ", "
                  + first.foldSeed()
                  + "): cells must have the same sample count and fold settings");
        }
      }
    }
    int g0 = first.groups();
    double[] delta = new double[k];
    double[] thetaDeleted = new double[g0];
    for (int r = 0; r < k; r++) {
      delta[r] = b.get(r).full() - a.get(r).full();
      double[] da = a.get(r).withoutFold();
      double[] db = b.get(r).withoutFold();
      for (int g = 0; g < g0; g++) {
        thetaDeleted[g] += (db[g] - da[g]) / k;
      }
    }
    double estimate = mean(delta);
    double meanDeleted = mean(thetaDeleted);
    double ss = 0;
    for (double t : thetaDeleted) {
      ss += (t - meanDeleted) * (t - meanDeleted);
    }
    double vs = (g0 - 1.0) / g0 * ss;
    double vr = 0;
    if (k > 1) {
      double sr = 0;
      for (double v : delta) {
        sr += (v - estimate) * (v - estimate);
      }
      vr = sr / (k - 1) / k;
    }
    double var = vs + vr;
    double df;
    if (k == 1 || vr == 0) {
      df = g0 - 1;
    } else if (vs == 0) {
      df = k - 1;
    } else {
      df = var * var / (vs * vs / (g0 - 1) + vr * vr / (k - 1));
    }
    double se = Math.sqrt(var);
    double lower;
    double upper;
    double p;
    if (se > 0) {
      TDistribution t = new TDistribution(null, df);
      double q = t.inverseCumulativeProbability(0.5 + LEVEL / 2);
      lower = estimate - q * se;
      upper = estimate + q * se;
      p = 2 * t.cumulativeProbability(-Math.abs(estimate) / se);
    } else {
      lower = estimate;
      upper = estimate;
      p = estimate == 0 ? 1.0 : 0.0;
    }
    return new Difference(
        first.metric(), estimate, lower, upper, se, df, p, k, g0, vs, vr, delta, k == 1);
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }
}
