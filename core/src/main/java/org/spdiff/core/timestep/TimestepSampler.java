package org.spdiff.core.timestep;

import java.util.random.RandomGenerator;

/** Draws a batch of timesteps in {@code 1..T}. */
public interface TimestepSampler {

  /**
   * @param n batch size
   * @param rng the seeded source for this draw
   * @param tOnline the online timesteps of the batch when drawing {@code t'} ({@code null} when
   *     drawing {@code t} itself); only {@code equal} reads it
   * @return {@code n} timesteps in {@code 1..T}
   */
  long[] sample(int n, RandomGenerator rng, long[] tOnline);

  /** The spec string that {@link TimestepSamplers#parse} turns back into this sampler. */
  String spec();
}
