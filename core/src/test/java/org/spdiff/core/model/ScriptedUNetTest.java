package org.spdiff.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spdiff.core.engine.GradMode;

/**
 * The TorchScript forward pass against the DJL one it transcribes: float32 to float rounding on
 * every architecture feature (channel padding of 1- and 3-channel images, several heads, two
 * residual blocks per level, odd sizes, labels, the null class, no labels), bfloat16 to bfloat16's
 * precision, both repeatable bit for bit and independent of how a batch is split.
 */
class ScriptedUNetTest {
  private NDManager manager;
  private ParameterStore ps;

  @BeforeEach
  void setUp() {
    GradMode.offOnThisThread();
    manager = NDManager.newBaseManager();
    ps = new ParameterStore(manager, false);
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private UNet net(UNetConfig config, long seed) {
    UNet net = UNet.create(config, manager, seed);
    UNetTest.randomizeConstants(net, seed + 1);
    return net;
  }

  private NDArray images(int n, int c, int size, int seed) {
    Engine.getInstance().setRandomSeed(seed);
    return manager.randomNormal(new Shape(n, c, size, size));
  }

  /** max |a - b| / max |b|. */
  private static double relError(NDArray a, NDArray b) {
    return a.sub(b).abs().max().getFloat() / b.abs().max().getFloat();
  }

  private static UNetConfig rgbTwoHeads() {
    return UNetPresets.named("tiny").toBuilder()
        .inChannels(3)
        .outChannels(3)
        .numResBlocks(2)
        .attentionHeads(2)
        .numClasses(0)
        .build();
  }

  @Test
  void float32MatchesTheDjlForwardOnEveryArchitectureFeature() {
    record Case(UNetConfig config, int size, boolean labels) {}
    Case[] cases = {
      new Case(UNetPresets.named("tiny"), 28, true),
      new Case(UNetPresets.named("tiny"), 28, false), // the null class
      new Case(UNetPresets.named("bench"), 28, true),
      new Case(rgbTwoHeads(), 32, false),
      new Case(rgbTwoHeads(), 7, false), // 7 -> 4 -> 2 and back up to the skips' sizes
    };
    for (Case c : cases) {
      UNet net = net(c.config, 3);
      try (NDManager m = manager.newSubManager()) {
        ScriptedUNet scripted = ScriptedUNet.of(net, DataType.FLOAT32, m);
        NDArray x = images(6, c.config.inChannels(), c.size, 5);
        NDArray t = m.create(new long[] {1, 100, 250, 500, 750, 1000});
        NDArray y =
            c.config.conditional() && c.labels ? m.create(new long[] {0, 1, 2, 3, 4, 10}) : null;
        NDArray ref = net.predict(ps, x, t, y, false);
        NDArray got = scripted.predict(ps, x, t, y, false);
        assertEquals(ref.getShape(), got.getShape(), c.toString());
        assertEquals(DataType.FLOAT32, got.getDataType());
        double err = relError(got, ref);
        assertTrue(err < 1e-5, c + ": relative error " + err);
      }
    }
  }

  @Test
  void bfloat16IsCloseToFloat32RepeatableAndIndependentOfTheBatchSplit() {
    UNet net = net(UNetPresets.named("bench"), 7);
    ScriptedUNet bf16 = ScriptedUNet.of(net, DataType.BFLOAT16, manager);
    assertEquals(DataType.BFLOAT16, bf16.computeType());
    NDArray x = images(8, 1, 28, 9);
    NDArray t = manager.create(new long[] {1, 50, 200, 400, 600, 800, 950, 1000});
    NDArray y = manager.create(new long[] {0, 1, 2, 3, 4, 5, 6, 10});
    NDArray ref = net.predict(ps, x, t, y, false);
    NDArray a = bf16.predict(ps, x, t, y, false);
    assertEquals(DataType.FLOAT32, a.getDataType());
    double err = relError(a, ref);
    // bfloat16 keeps 8 significant bits (relative rounding 2^-9 = 0.002 per op)
    assertTrue(err > 1e-5 && err < 0.05, "bf16 relative error " + err);
    NDArray b = bf16.predict(ps, x, t, y, false);
    assertArrayEquals(a.toFloatArray(), b.toFloatArray(), "the same inputs, other bits");
    NDArray first = bf16.predict(ps, x.get("0:4"), t.get("0:4"), y.get("0:4"), false);
    NDArray second = bf16.predict(ps, x.get("4:8"), t.get("4:8"), y.get("4:8"), false);
    double split = relError(first.concat(second, 0), a);
    assertTrue(split < 1e-2, "two halves against one batch: " + split);
  }

  /**
   * With {@code spdiff.unet.forward=torchscript} training runs through the program: the loss, every
   * parameter's gradient and the input's gradient match the DJL forward's to float rounding, for
   * the prediction and for the mid-block features (the self-perceptual loss's path).
   */
  @Test
  void torchScriptTrainingGivesTheDjlGradients() {
    for (FeatureLayers layers : new FeatureLayers[] {null, FeatureLayers.MID}) {
      Map<String, float[]> djl = gradients("djl", layers);
      Map<String, float[]> ts = gradients("torchscript", layers);
      assertEquals(djl.keySet(), ts.keySet());
      for (String name : djl.keySet()) {
        float[] a = djl.get(name);
        float[] b = ts.get(name);
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
          scale = Math.max(scale, Math.abs(a[i]));
          diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        assertTrue(scale > 0 || layers == FeatureLayers.MID, name + " has no gradient");
        assertTrue(diff <= 1e-4 * scale + 1e-9, layers + " " + name + ": " + diff + " of " + scale);
      }
    }
  }

  /** Loss, input gradient and every parameter gradient of one backward through the bench UNet. */
  private Map<String, float[]> gradients(String forward, FeatureLayers layers) {
    String before = System.getProperty(UNet.FORWARD_PROPERTY);
    System.setProperty(UNet.FORWARD_PROPERTY, forward);
    try (NDManager m = manager.newSubManager()) {
      UNet net = net(UNetPresets.named("bench"), 11);
      NDArray x = images(4, 1, 28, 13);
      x.setRequiresGradient(true);
      NDArray t = m.create(new long[] {1, 300, 700, 1000});
      NDArray y = m.create(new long[] {0, 5, 9, 10});
      Map<String, float[]> out = new TreeMap<>();
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray f =
            layers == null
                ? net.predict(ps, x, t, y, true)
                : net.features(ps, x, t, y, layers, true).singletonOrThrow();
        Engine.getInstance().setRandomSeed(17);
        NDArray r = m.randomNormal(f.getShape());
        NDArray loss = f.mul(r).sum();
        out.put("(loss)", new float[] {loss.getFloat()});
        gc.backward(loss);
      }
      out.put("(input)", x.getGradient().toFloatArray());
      net.namedParameters()
          .forEach((name, p) -> out.put(name, p.getArray().getGradient().toFloatArray()));
      return out;
    } finally {
      if (before == null) {
        System.clearProperty(UNet.FORWARD_PROPERTY);
      } else {
        System.setProperty(UNet.FORWARD_PROPERTY, before);
      }
    }
  }

  @Test
  void refusesTrainingFeaturesAndOtherTypes() {
    UNet net = net(UNetPresets.named("tiny"), 1);
    assertThrows(
        IllegalArgumentException.class, () -> ScriptedUNet.of(net, DataType.INT32, manager));
    ScriptedUNet s = ScriptedUNet.of(net, DataType.FLOAT32, manager);
    NDArray x = images(2, 1, 28, 1);
    NDArray t = manager.create(new long[] {1, 2});
    assertThrows(UnsupportedOperationException.class, () -> s.predict(ps, x, t, null, true));
    assertThrows(
        UnsupportedOperationException.class,
        () -> s.features(ps, x, t, null, FeatureLayers.MID, false));
  }
}
