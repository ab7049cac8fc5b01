package org.spdiff.core.noise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.spdiff.core.engine.NativeArrays;

/**
 * Seeded draws keyed by counters. A key is a SplitMix64-style hash of {@code (seed, a, b, ...)};
 * each key seeds its own {@link SplittableRandom}, so a draw never depends on what was drawn
 * before. Gaussians use the Box-Muller transform in float64 (independent of the JDK's {@code
 * nextGaussian} algorithm), then round to float32.
 */
public final class SeededNoise {
  /** Stream ids for training draws (keep stable: changing them changes every run). */
  public static final long STREAM_BATCH = 1;

  public static final long STREAM_T = 2;
  public static final long STREAM_EPS = 3;
  public static final long STREAM_T_PRIME = 4;
  public static final long STREAM_FRESH = 5;
  public static final long STREAM_LABEL_DROP = 6;
  public static final long STREAM_DROPOUT = 7;
  public static final long STREAM_INIT = 8;

  /** Stream ids for sampling draws. */
  public static final long STREAM_SAMPLE_INIT = 101;

  public static final long STREAM_SAMPLE_STEP = 102;

  private SeededNoise() {}

  /** SplitMix64 finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A 64-bit key for {@code (seed, counters...)}; order matters. */
  public static long key(long seed, long... counters) {
    long h = mix(seed + 0x9e3779b97f4a7c15L);
    for (long c : counters) {
      h = mix(h ^ mix(c + 0x632be59bd9b4e019L));
    }
    return h;
  }

  /** A generator for {@code (seed, counters...)}. */
  public static SplittableRandom rng(long seed, long... counters) {
    return new SplittableRandom(key(seed, counters));
  }

  /** Fills {@code out[from..from+n)} with standard normals drawn from {@code rng}. */
  public static void gaussian(SplittableRandom rng, float[] out, int from, int n) {
    int i = 0;
    while (i < n) {
      double u1 = 1.0 - rng.nextDouble(); // (0, 1]
      double u2 = rng.nextDouble();
      double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
      double th = 2.0 * Math.PI * u2;
      out[from + i++] = (float) (r * StrictMath.cos(th));
      if (i < n) {
        out[from + i++] = (float) (r * StrictMath.sin(th));
      }
    }
  }

  /**
   * Per-sample noise: row {@code j} of the result is a function of {@code (seed, stream, ids[j],
   * extra...)} only, whatever else is in the batch.
   *
   * @param shape per-sample shape, e.g. {@code (C, H, W)}
   * @return float32 {@code [ids.length, shape...]}
   */
  public static NDArray perSample(
      NDManager manager, Shape shape, long seed, long stream, long[] ids, long... extra) {
    int per = Math.toIntExact(shape.size());
    float[] buf = new float[per * ids.length];
    long[] counters = new long[2 + extra.length];
    counters[0] = stream;
    System.arraycopy(extra, 0, counters, 2, extra.length);
    for (int j = 0; j < ids.length; j++) {
      counters[1] = ids[j];
      gaussian(new SplittableRandom(key(seed, counters)), buf, j * per, per);
    }
    return NativeArrays.of(manager, buf, new Shape(ids.length).addAll(shape));
  }

  /**
   * Batch noise for training step {@code step}: a function of {@code (seed, stream, step)} only.
   *
   * @param shape the full batch shape
   */
  public static NDArray forStep(NDManager manager, Shape shape, long seed, long stream, long step) {
    float[] buf = new float[Math.toIntExact(shape.size())];
    gaussian(rng(seed, stream, step), buf, 0, buf.length);
    return NativeArrays.of(manager, buf, shape);
  }
}
