package org.spdiff.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The UNet trains, and a step leaves nothing behind in the parameters' manager. */
class UNetTrainingTest {

  /** One MSE step toward {@code target}; all per-step arrays live in a sub-manager. */
  private static float step(
      UNet net,
      ParameterStore ps,
      NDManager parent,
      NDArray x,
      NDArray t,
      NDArray y,
      Optimizer opt) {
    try (NDManager step = parent.newSubManager()) {
      float loss;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray l = net.predict(ps, x, t, null, true).sub(y).square().mean();
        gc.backward(l);
        loss = l.getFloat();
      }
      if (opt != null) {
        for (Parameter p : net.namedParameters().values()) {
          if (p.requiresGradient()) {
            NDArray grad = p.getArray().getGradient();
            grad.attach(step);
            opt.update(p.getId(), p.getArray(), grad);
          }
        }
      }
      return loss;
    }
  }

  @Test
  void tinyNetFitsAFixedBatch() {
    try (NDManager root = NDManager.newBaseManager()) {
      NDManager weights = root.newSubManager();
      UNet net = UNet.create(UNetPresets.named("tiny").withNumClasses(0), weights, 0);
      ParameterStore ps = new ParameterStore(weights, false);
      Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(3e-3f)).build();
      NDManager data = root.newSubManager();
      Engine.getInstance().setRandomSeed(11);
      NDArray x = data.randomNormal(new Shape(4, 1, 16, 16));
      NDArray y = data.randomNormal(new Shape(4, 1, 16, 16)).mul(0.5).add(x.mul(0.5));
      NDArray t = data.create(new long[] {1, 10, 100, 1000});
      long start = System.nanoTime();
      float first = step(net, ps, data, x, t, y, adam);
      double firstStepMs = (System.nanoTime() - start) / 1e6;
      float last = first;
      for (int i = 0; i < 7; i++) {
        last = step(net, ps, data, x, t, y, adam);
      }
      System.out.printf("tiny: first step %.1f ms, loss %.4f -> %.4f%n", firstStepMs, first, last);
      assertTrue(last < 0.9 * first, first + " -> " + last);
    }
  }

  @Test
  void stepsLeaveNoArraysInTheWeightsManager() {
    try (NDManager root = NDManager.newBaseManager()) {
      NDManager weights = root.newSubManager();
      UNet net = UNet.create(UNetPresets.named("tiny"), weights, 0);
      UNet frozen = UNet.create(UNetPresets.named("tiny"), weights, 1);
      frozen.freezeParameters(true);
      ParameterStore ps = new ParameterStore(weights, false);
      int before = weights.getManagedArrays().size();
      for (int i = 0; i < 2; i++) {
        try (NDManager step = root.newSubManager()) {
          NDArray x = step.randomNormal(new Shape(2, 1, 16, 16));
          NDArray t = step.create(new long[] {5, 6});
          NDArray labels = step.create(new long[] {1, 10});
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray pred = net.predict(ps, x, t, labels, true);
            NDArray f = frozen.features(ps, x.add(pred), t, labels, FeatureLayers.ALL, true).get(0);
            gc.backward(f.square().mean());
          }
        }
      }
      assertEquals(before, weights.getManagedArrays().size());
    }
  }

  /**
   * Forward + backward time of the bench net at batch 64 (run with {@code -Dsurefire.groups=bench
   * -Dsurefire.excludedGroups=none}).
   */
  @Test
  @Tag("bench")
  void benchStepTime() {
    try (NDManager root = NDManager.newBaseManager()) {
      NDManager weights = root.newSubManager();
      UNet net = UNet.create(UNetPresets.named("bench"), weights, 0);
      UNetTest.randomizeConstants(net, 1);
      UNet perceptual = UNet.create(UNetPresets.named("bench"), weights, 0);
      perceptual.freezeParameters(true);
      perceptual.copyWeightsFrom(net);
      ParameterStore ps = new ParameterStore(weights, false);
      NDManager data = root.newSubManager();
      NDArray x = data.randomNormal(new Shape(64, 1, 28, 28));
      NDArray t = data.randomInteger(1, 1001, new Shape(64), ai.djl.ndarray.types.DataType.INT64);
      NDArray labels =
          data.randomInteger(0, 11, new Shape(64), ai.djl.ndarray.types.DataType.INT64);
      for (int i = 0; i < 8; i++) {
        long s0 = System.nanoTime();
        try (NDManager step = data.newSubManager()) {
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(net.predict(ps, x, t, labels, true).sub(x).square().mean());
          }
        }
        long s1 = System.nanoTime();
        try (NDManager step = data.newSubManager()) {
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray pred = net.predict(ps, x, t, labels, true);
            NDArray a = perceptual.features(ps, pred, t, labels, FeatureLayers.MID, true).get(0);
            NDArray b = perceptual.features(ps, x, t, labels, FeatureLayers.MID, false).get(0);
            gc.backward(a.sub(b).square().mean());
          }
        }
        long s2 = System.nanoTime();
        System.out.printf(
            "bench batch 64: mse fwd+bwd %.0f ms, self-perceptual fwd+bwd %.0f ms%n",
            (s1 - s0) / 1e6, (s2 - s1) / 1e6);
      }
      Map<String, Parameter> named = net.namedParameters();
      assertEquals(1_114_209L, net.parameterCount(), named.size() + " tensors");
    }
  }
}
