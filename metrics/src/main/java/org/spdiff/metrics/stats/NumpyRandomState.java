package org.spdiff.metrics.stats;

/**
 * The subset of numpy's legacy {@code np.random.RandomState(seed)} that torch-fidelity uses for its
 * seeded draws: MT19937 seeded with {@code init_genrand(seed)}, {@code permutation(n)}
 * (Fisher-Yates from the last index down, each index drawn by masked rejection sampling of 32-bit
 * outputs, as numpy's {@code random_interval}) and {@code choice(n, k, replace=False)} (the first k
 * entries of {@code permutation(n)}). Reproducing them lets IS and KID give torch-fidelity's
 * numbers on the same features, shuffles included. Checked against numpy 1.24 in the fixtures.
 */
public final class NumpyRandomState {
  private static final int N = 624;
  private static final int M = 397;
  private final int[] mt = new int[N];
  private int mti;

  /** {@code np.random.RandomState(seed)} for 0 <= seed < 2^32. */
  public NumpyRandomState(long seed) {
    if (seed < 0 || seed > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("seed must be in [0, 2^32), got " + seed);
    }
    mt[0] = (int) seed;
    for (int i = 1; i < N; i++) {
      mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
    }
    mti = N;
  }

  /** The next 32-bit output of MT19937, as an unsigned value in a long. */
  public long nextUint32() {
    if (mti >= N) {
      for (int k = 0; k < N; k++) {
        int y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
        mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
      }
      mti = 0;
    }
    int y = mt[mti++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y & 0xFFFFFFFFL;
  }

  /** numpy's {@code random_interval(max)}: uniform in [0, max] by masked rejection. */
  long interval(long max) {
    if (max == 0) {
      return 0;
    }
    long mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    long value;
    do {
      value = nextUint32() & mask;
    } while (value > max);
    return value;
  }

  /** {@code RandomState.permutation(n)}: a shuffled {@code arange(n)}. */
  public int[] permutation(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = n - 1; i >= 1; i--) {
      int j = (int) interval(i);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** {@code RandomState.choice(n, k, replace=False)}: the first k entries of a permutation. */
  public int[] choiceWithoutReplacement(int n, int k) {
    if (k > n || k < 0) {
      throw new IllegalArgumentException("cannot draw " + k + " of " + n + " without replacement");
    }
    return java.util.Arrays.copyOf(permutation(n), k);
  }
}
