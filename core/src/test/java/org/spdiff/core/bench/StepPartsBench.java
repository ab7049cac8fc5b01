package org.spdiff.core.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spdiff.core.model.FeatureLayers;
import org.spdiff.core.model.UNet;
import org.spdiff.core.model.UNetPresets;

@Tag("bench")
/**
 * Where a self-perceptual step spends its time on the {@code bench} UNet at batch 64: online
 * forward+backward, online forward, frozen mid-block forward, and frozen mid-block forward with
 * backward to the input. Prints per repetition (the first is warm-up).
 */
class StepPartsBench {
  @Test
  void parts() {
    try (NDManager m = NDManager.newBaseManager()) {
      UNet online = UNet.create(UNetPresets.named("bench"), m, 1);
      UNet frozen = UNet.create(UNetPresets.named("bench"), m, 2);
      frozen.freezeParameters(true);
      ParameterStore ps = new ParameterStore(m, false);
      for (int rep = 0; rep < 4; rep++) {
        try (NDManager s = m.newSubManager()) {
          NDArray x = s.randomNormal(new Shape(64, 1, 28, 28));
          NDArray t = s.create(new long[64]).add(500);
          NDArray lab = s.zeros(new Shape(64), ai.djl.ndarray.types.DataType.INT64);
          long a = System.nanoTime();
          NDArray pred;
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            pred = online.predict(ps, x, t, lab, true);
            gc.backward(pred.square().mean());
          }
          long b = System.nanoTime();
          frozen.features(ps, x, t, lab, FeatureLayers.MID, false).get(0).getFloat(0, 0, 0, 0);
          long c = System.nanoTime();
          NDArray xin = x.duplicate();
          xin.setRequiresGradient(true);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray h = frozen.features(ps, xin, t, lab, FeatureLayers.MID, false).get(0);
            gc.backward(h.square().mean());
          }
          long d = System.nanoTime();
          online.predict(ps, x, t, lab, false).getFloat(0, 0, 0, 0);
          long e = System.nanoTime();
          System.out.printf(
              "online fwd+bwd %.0f ms, online fwd %.0f ms, frozen MID fwd %.0f ms, frozen MID fwd+bwd-to-input %.0f ms%n",
              (b - a) / 1e6, (e - d) / 1e6, (c - b) / 1e6, (d - c) / 1e6);
        }
      }
    }
  }
}
