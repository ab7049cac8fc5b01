package org.spdiff.metrics.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * Inception Score {@code exp(E_x KL(p(y|x) || p(y)))} (Salimans et al. 2016) from classifier
 * logits.
 *
 * <p>Follows torch-fidelity's {@code isc_features_to_metric}: the N rows are shuffled by {@code
 * np.random.RandomState(seed).permutation(N)} (seed 2020 by default), softmax and log-softmax are
 * taken in float64, split i holds rows {@code [i N / k, (i + 1) N / k)}, each split scores {@code
 * exp(mean_x sum_y p(y|x) (log p(y|x) - log p_split(y)))}, and the result is the mean and the
 * population std ({@code np.std}, ddof = 0) over the k = 10 splits. pytorch-fid's lineage (the
 * original OpenAI code) splits in order without shuffling: pass {@code shuffle = false}.
 *
 * <p>Which logits: torch-fidelity scores the 1008-way Inception logits without the fc bias ({@code
 * logits_unbiased}); the original TF code used the softmax with bias. The caller chooses what it
 * feeds in.
 */
public final class InceptionScore {
  /** torch-fidelity's default split count. */
  public static final int DEFAULT_SPLITS = 10;

  /** torch-fidelity's default seed. */
  public static final long DEFAULT_SEED = 2020;

  private InceptionScore() {}

  /** torch-fidelity's defaults: 10 splits, shuffled with seed 2020. */
  public static SplitScore compute(float[][] logits) {
    return compute(toDouble(logits), DEFAULT_SPLITS, true, DEFAULT_SEED);
  }

  /** torch-fidelity's defaults: 10 splits, shuffled with seed 2020. */
  public static SplitScore compute(double[][] logits) {
    return compute(logits, DEFAULT_SPLITS, true, DEFAULT_SEED);
  }

  /**
   * @param logits (N, C) unnormalised class scores
   * @param splits k >= 1, at most N
   * @param shuffle permute the rows with {@code RandomState(seed).permutation(N)} first
   * @param seed the permutation seed, in [0, 2^32)
   * @return mean and ddof-0 std of the k split scores; each score lies in [1, C]
   */
  public static SplitScore compute(double[][] logits, int splits, boolean shuffle, long seed) {
    int n = logits.length;
    if (n == 0) {
      throw new IllegalArgumentException("no logits");
    }
    if (splits < 1 || splits > n) {
      throw new IllegalArgumentException("splits must be in [1, " + n + "], got " + splits);
    }
    int c = logits[0].length;
    int[] order = shuffle ? new NumpyRandomState(seed).permutation(n) : identity(n);
    double[][] p = new double[n][];
    double[][] logp = new double[n][];
    for (int r = 0; r < n; r++) {
      double[] z = logits[order[r]];
      if (z.length != c) {
        throw new IllegalArgumentException(
            "logit row " + order[r] + " has " + z.length + " classes, expected " + c);
      }
      double max = Double.NEGATIVE_INFINITY;
      for (double v : z) {
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("non-finite logit " + v + " in row " + order[r]);
        }
        max = Math.max(max, v);
      }
      double sum = 0;
      for (double v : z) {
        sum += Math.exp(v - max);
      }
      double lse = max + Math.log(sum);
      p[r] = new double[c];
      logp[r] = new double[c];
      for (int j = 0; j < c; j++) {
        logp[r][j] = z[j] - lse;
        p[r][j] = Math.exp(logp[r][j]);
      }
    }
    double[] scores = new double[splits];
    List<String> warnings = new ArrayList<>();
    if (n / splits < 2) {
      warnings.add("only " + n + " samples for " + splits + " splits: split scores are noise");
    }
    for (int i = 0; i < splits; i++) {
      int from = (int) ((long) i * n / splits);
      int to = (int) ((long) (i + 1) * n / splits);
      double[] q = new double[c];
      for (int r = from; r < to; r++) {
        for (int j = 0; j < c; j++) {
          q[j] += p[r][j];
        }
      }
      double[] logq = new double[c];
      for (int j = 0; j < c; j++) {
        logq[j] = Math.log(q[j] / (to - from));
      }
      double kl = 0;
      for (int r = from; r < to; r++) {
        double row = 0;
        for (int j = 0; j < c; j++) {
          if (p[r][j] > 0) {
            row += p[r][j] * (logp[r][j] - logq[j]);
          }
        }
        kl += row;
      }
      scores[i] = Math.exp(kl / (to - from));
    }
    return SplitScore.of(scores, warnings);
  }

  static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  static double[][] toDouble(float[][] x) {
    double[][] d = new double[x.length][];
    for (int r = 0; r < x.length; r++) {
      d[r] = new double[x[r].length];
      for (int j = 0; j < x[r].length; j++) {
        d[r][j] = x[r][j];
      }
    }
    return d;
  }
}
