package org.spdiff.core.train;

import java.util.SplittableRandom;
import org.spdiff.core.noise.SeededNoise;

/**
 * The images of each training step as a pure function of {@code (seed, step)}: the data is read in
 * epochs, each a permutation keyed by {@code (seed, epoch)}; position {@code p = step * B + j}
 * takes element {@code p mod n} of permutation {@code p / n}. Resuming at any step needs nothing
 * but the step.
 */
public final class BatchIndices {
  private final int n;
  private final int batchSize;
  private final long seed;
  private long cachedEpoch = -1;
  private int[] cachedPerm;

  public BatchIndices(int datasetSize, int batchSize, long seed) {
    if (datasetSize < 1) {
      throw new IllegalArgumentException("empty dataset");
    }
    this.n = datasetSize;
    this.batchSize = batchSize;
    this.seed = seed;
  }

  public int[] forStep(long step) {
    int[] r = new int[batchSize];
    for (int j = 0; j < batchSize; j++) {
      long p = step * batchSize + j;
      r[j] = permutation(p / n)[(int) (p % n)];
    }
    return r;
  }

  private int[] permutation(long epoch) {
    if (epoch != cachedEpoch) {
      int[] perm = new int[n];
      for (int i = 0; i < n; i++) {
        perm[i] = i;
      }
      SplittableRandom rng = SeededNoise.rng(seed, SeededNoise.STREAM_BATCH, epoch);
      for (int i = n - 1; i > 0; i--) {
        int k = rng.nextInt(i + 1);
        int tmp = perm[i];
        perm[i] = perm[k];
        perm[k] = tmp;
      }
      cachedPerm = perm;
      cachedEpoch = epoch;
    }
    return cachedPerm;
  }
}
