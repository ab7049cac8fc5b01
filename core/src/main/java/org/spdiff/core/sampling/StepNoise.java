package org.spdiff.core.sampling;

import ai.djl.ndarray.NDArray;

/** Fresh noise for a sampling step, a function of the step and the batch's sample ids. */
@FunctionalInterface
public interface StepNoise {
  /**
   * @param step the index of the step in the timestep list (0 = first)
   * @return standard normal noise shaped like the batch
   */
  NDArray at(int step);
}
