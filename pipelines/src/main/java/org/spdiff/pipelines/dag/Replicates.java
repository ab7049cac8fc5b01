package org.spdiff.pipelines.dag;

/**
 * Training-seed replicates: replicate {@code r} of an arm trains from the same teacher with a seed
 * derived from the arm's seed and {@code r} alone.
 *
 * <p>Replicate 0 keeps the arm's own seed, so a study that raises {@code replicates} from 1 keeps
 * its existing models (same keys) and trains only the new replicates. Arms with the same base seed
 * (the default: every variant inherits {@code teacher.seed + 1}) get the same seed for replicate
 * {@code r}: the same data order and noise draws in training, so replicate {@code r} of a variant
 * is paired with replicate {@code r} of the control (common random numbers, as for sampling).
 */
public final class Replicates {
  private Replicates() {}

  /**
   * The training seed of replicate {@code r} (0-based) of an arm whose seed is {@code base}: {@code
   * base} for {@code r = 0}, otherwise a SplitMix64 mix of both, non-negative.
   */
  public static long seed(long base, int r) {
    if (r < 0) {
      throw new IllegalArgumentException("replicate index must be >= 0: " + r);
    }
    if (r == 0) {
      return base;
    }
    long z = base + 0x9E3779B97F4A7C15L * r;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return z & Long.MAX_VALUE;
  }
}
