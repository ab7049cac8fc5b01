package org.spdiff.core.checkpoint;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.spdiff.core.model.DiffusionNet;
import org.spdiff.core.model.UNet;

/**
 * The stable parameter names checkpoints use: the UNet's dotted names ({@link
 * UNet#namedParameters()}); for any other network, the keys of {@code block().getParameters()}.
 */
public final class NamedParameters {
  private NamedParameters() {}

  /** Every parameter of {@code net} by name, in a deterministic order. */
  public static Map<String, Parameter> of(DiffusionNet net) {
    if (net instanceof UNet u) {
      return u.namedParameters();
    }
    Map<String, Parameter> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : net.block().getParameters()) {
      out.put(p.getKey(), p.getValue());
    }
    return Collections.unmodifiableMap(out);
  }
}
