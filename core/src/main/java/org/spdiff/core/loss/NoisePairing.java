package org.spdiff.core.loss;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Which noise re-noises the two branches to {@code t'} (METHOD.md, Stage 2 step 4). */
public enum NoisePairing {
  /** The paper: {@code eps} for the real branch, {@code eps_hat} for the predicted branch. */
  PREDICTED("predicted"),
  /** One fresh noise {@code z} for both branches. */
  SHARED_FRESH("shared-fresh"),
  /** The true {@code eps} for both branches. */
  TRUE("true");

  private final String spec;

  NoisePairing(String spec) {
    this.spec = spec;
  }

  @JsonValue
  public String spec() {
    return spec;
  }

  @JsonCreator
  public static NoisePairing parse(String s) {
    for (NoisePairing p : values()) {
      if (p.spec.equalsIgnoreCase(s) || p.name().equalsIgnoreCase(s)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown noise pairing '" + s + "' (predicted, shared-fresh, true)");
  }
}
