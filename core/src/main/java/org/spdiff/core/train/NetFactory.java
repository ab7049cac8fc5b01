package org.spdiff.core.train;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import org.spdiff.core.model.DiffusionNet;

/** Builds networks of one architecture (online, perceptual, sampling copies). */
public interface NetFactory {
  /**
   * A new network whose parameters are initialised in {@code manager}, deterministically from
   * {@code seed}.
   */
  DiffusionNet create(NDManager manager, long seed);

  /** The architecture as JSON, stored in every checkpoint. */
  JsonNode config();
}
