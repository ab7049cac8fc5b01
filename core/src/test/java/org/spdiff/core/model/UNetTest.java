package org.spdiff.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UNetTest {
  private NDManager manager;
  private ParameterStore ps;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager();
    ps = new ParameterStore(manager, false);
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private static UNetConfig tiny() {
    return UNetPresets.named("tiny");
  }

  private NDArray images(NDManager m, int n, int c, int size, long seed) {
    Engine.getInstance().setRandomSeed((int) seed);
    return m.randomNormal(new Shape(n, c, size, size));
  }

  private static NDArray steps(NDManager m, long... t) {
    return m.create(t);
  }

  /**
   * Overwrites every parameter that is constant after initialisation (the zero-initialised convs,
   * the norms) with random values, so that outputs depend on every input (a fresh net ignores t and
   * labels: each residual block's conv2 is zero).
   */
  static void randomizeConstants(ai.djl.nn.Block net, long seed) {
    for (Map.Entry<String, Parameter> e : ModelBlock.namedParameters(net).entrySet()) {
      Parameter p = e.getValue();
      NDArray a = p.getArray();
      if (a.max().getFloat() == a.min().getFloat()) {
        NDArray v =
            SeededInit.uniform(0.2, SeededInit.seedFor(seed, e.getKey()))
                .initialize(a.getManager(), p.getShape(), DataType.FLOAT32);
        boolean trainable = p.requiresGradient();
        p.freeze(true);
        a.set(v.add(a).toFloatArray());
        p.freeze(!trainable);
        v.close();
      }
    }
  }

  @Test
  void outputShapesOfTinyAndBenchAt28And32() {
    for (String preset : List.of("tiny", "bench")) {
      UNet net = UNet.create(UNetPresets.named(preset), manager, 0);
      for (int size : new int[] {28, 32}) {
        try (NDManager step = manager.newSubManager()) {
          NDArray x = images(step, 2, 1, size, 1);
          NDArray y =
              net.predict(ps, x, steps(step, 1, 999), step.create(new long[] {3, 10}), true);
          assertEquals(new Shape(2, 1, size, size), y.getShape(), preset + " at " + size);
          assertEquals(DataType.FLOAT32, y.getDataType());
        }
      }
    }
  }

  @Test
  void oddSizesRoundTrip() {
    // 7 -> 4 on the way down; the decoder upsamples 4 back to 7 to meet the skip.
    UNetConfig cfg = tiny().withImageSize(14);
    UNet net = UNet.create(cfg, manager, 0);
    try (NDManager step = manager.newSubManager()) {
      NDArray y = net.predict(ps, images(step, 1, 1, 7, 2), steps(step, 5), null, false);
      assertEquals(new Shape(1, 1, 7, 7), y.getShape());
    }
  }

  @Test
  void benchParameterCountMatchesTheReference() {
    // Hand count (time embedding 128, "res(a,b)" = 2a + 9ab + b [conv1] + 128b + b [emb_proj]
    // + 2b [norm2] + 9b^2 + b [conv2] + (a != b ? ab + b : 0) [skip];
    // "attn(c)" = 2c [norm] + 3c^2 + 3c [qkv] + c^2 + c [proj]):
    //   time_embed 32*128+128 + 128*128+128                     =  20,736
    //   class_embed 11*128                                       =   1,408
    //   conv_in 1*32*9+32                                        =     320
    //   down.0: res(32,32) 19,040 + downsample 9,248              =  28,288
    //   down.1: res(32,64) 65,920 + downsample 36,928             = 102,848
    //   down.2: res(64,64) 82,368 + attn(64) 16,768               =  99,136
    //   mid: res(64,64) + attn(64) + res(64,64)                   = 181,504
    //   up.2: 2 x (res(128,64) 127,552 + attn 16,768) + upsample 36,928 = 325,568
    //   up.1: res(128,64) 127,552 + res(96,64) 103,840 + upsample 36,928 = 268,320
    //   up.0: res(96,32) 43,904 + res(64,32) 35,552              =  79,456
    //   norm_out 64 + conv_out 32*9+1                            =     353
    //   total                                                     = 1,114,209
    UNet net = new UNet(UNetPresets.named("bench"));
    long count = net.parameterCount();
    System.out.println("bench parameters: " + count);
    assertEquals(1_114_209L, count);
    // Building the config alone allocates nothing: the large presets can be counted too.
    assertEquals(35_746_307L, new UNet(UNetPresets.named("cifar32")).parameterCount());
    long fmnist = new UNet(UNetPresets.named("fmnist")).parameterCount();
    assertEquals(1_708_417L, fmnist);
  }

  @Test
  void namesAreUniqueStableAndReadable() {
    Map<String, Parameter> a = new UNet(UNetPresets.named("bench")).namedParameters();
    Map<String, Parameter> b = new UNet(UNetPresets.named("bench")).namedParameters();
    assertEquals(new ArrayList<>(a.keySet()), new ArrayList<>(b.keySet()));
    for (String name :
        List.of(
            "time_embed.linear1.weight",
            "time_embed.linear2.bias",
            "class_embed.weight",
            "conv_in.weight",
            "down.0.res.0.conv1.weight",
            "down.0.res.0.norm1.weight",
            "down.1.res.0.skip.weight",
            "down.0.downsample.conv.weight",
            "down.2.attn.0.qkv.weight",
            "mid.res1.emb_proj.weight",
            "mid.attn.qkv.weight",
            "mid.attn.proj.bias",
            "mid.res2.conv2.weight",
            "up.2.res.1.conv1.weight",
            "up.2.attn.1.norm.bias",
            "up.1.upsample.conv.weight",
            "up.0.res.1.skip.weight",
            "norm_out.weight",
            "conv_out.bias")) {
      assertTrue(a.containsKey(name), name);
    }
    assertFalse(a.keySet().stream().anyMatch(n -> n.matches(".*\\d\\d[a-z].*")), "DJL prefixes");
    assertEquals(new Shape(64 * 3, 64, 1, 1), a.get("mid.attn.qkv.weight").getShape());
  }

  @Test
  void sameSeedSameWeightsOtherSeedOtherWeights() {
    UNet a = UNet.create(tiny(), manager, 42);
    UNet b = UNet.create(tiny(), manager, 42);
    UNet c = UNet.create(tiny(), manager, 43);
    int random = 0;
    for (Map.Entry<String, Parameter> e : a.namedParameters().entrySet()) {
      NDArray arr = e.getValue().getArray();
      float[] va = arr.toFloatArray();
      assertArrayEquals(
          va, b.namedParameters().get(e.getKey()).getArray().toFloatArray(), e.getKey());
      float[] vc = c.namedParameters().get(e.getKey()).getArray().toFloatArray();
      // Every randomly initialised parameter differs (norms and zero-initialised layers do not).
      if (arr.max().getFloat() != arr.min().getFloat()) {
        random++;
        assertFalse(java.util.Arrays.equals(va, vc), e.getKey());
      }
    }
    assertTrue(random > 20, "random parameters: " + random);
    assertEquals(0f, a.namedParameters().get("conv_out.weight").getArray().abs().sum().getFloat());
  }

  @Test
  void initialValuesArePinned() {
    // Golden values: a change here silently changes every experiment's starting point.
    UNet net = UNet.create(tiny(), manager, 0);
    float[] w = net.namedParameters().get("conv_in.weight").getArray().toFloatArray();
    assertArrayEquals(
        new float[] {0.016664037f, 0.09333253f, 0.16600195f}, java.util.Arrays.copyOf(w, 3), 0f);
  }

  @Test
  void featureShapes() {
    UNet net = UNet.create(UNetPresets.named("bench"), manager, 0);
    try (NDManager step = manager.newSubManager()) {
      NDArray x = images(step, 3, 1, 28, 3);
      NDArray t = steps(step, 1, 500, 1000);
      NDList mid = net.features(ps, x, t, null, FeatureLayers.MID, false);
      assertEquals(1, mid.size());
      assertEquals(new Shape(3, 64, 7, 7), mid.get(0).getShape());
      NDList enc = net.features(ps, x, t, null, FeatureLayers.ENCODER, false);
      assertEquals(
          List.of(new Shape(3, 32, 28, 28), new Shape(3, 64, 14, 14), new Shape(3, 64, 7, 7)),
          enc.getShapes() == null ? null : List.of(enc.getShapes()));
      NDList all = net.features(ps, x, t, null, FeatureLayers.ALL, false);
      assertEquals(
          List.of(
              new Shape(3, 32, 28, 28),
              new Shape(3, 64, 14, 14),
              new Shape(3, 64, 7, 7),
              new Shape(3, 64, 7, 7),
              new Shape(3, 64, 7, 7),
              new Shape(3, 64, 14, 14),
              new Shape(3, 32, 28, 28)),
          List.of(all.getShapes()));
    }
  }

  private static double gradSum(Parameter p) {
    try {
      return p.getArray().getGradient().abs().sum().getFloat();
    } catch (RuntimeException noGradient) {
      return 0;
    }
  }

  /** Total |gradient| of the decoder (up.*) and encoder (down.*) parameters after a backward. */
  private double[] gradientByPart(UNet net, FeatureLayers layers) {
    try (NDManager step = manager.newSubManager()) {
      NDArray x = images(step, 2, 1, 16, 4);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDList f = net.features(ps, x, steps(step, 10, 20), null, layers, true);
        NDArray loss = f.get(0).square().sum();
        for (int i = 1; i < f.size(); i++) {
          loss = loss.add(f.get(i).square().sum());
        }
        gc.backward(loss);
      }
      double up = 0;
      double down = 0;
      for (Map.Entry<String, Parameter> e : net.namedParameters().entrySet()) {
        if (e.getKey().startsWith("up.")) {
          up += gradSum(e.getValue());
        } else if (e.getKey().startsWith("down.")) {
          down += gradSum(e.getValue());
        }
      }
      return new double[] {up, down};
    }
  }

  @Test
  void midFeaturesNeverRunTheDecoder() {
    UNet net = UNet.create(tiny(), manager, 0);
    double[] all = gradientByPart(net, FeatureLayers.ALL);
    assertTrue(all[0] > 0, "ALL features reach the decoder");
    UNet fresh = UNet.create(tiny(), manager, 0);
    double[] mid = gradientByPart(fresh, FeatureLayers.MID);
    assertTrue(mid[1] > 0, "encoder gets a gradient");
    assertEquals(0.0, mid[0], "decoder parameters took part in a MID feature pass");
  }

  @Test
  void conditionalAndUnconditional() {
    UNet cond = UNet.create(tiny(), manager, 0);
    randomizeConstants(cond, 1);
    UNet uncond = UNet.create(tiny().withNumClasses(0), manager, 0);
    assertEquals(10, cond.numClasses());
    assertEquals(0, uncond.numClasses());
    assertFalse(uncond.namedParameters().containsKey("class_embed.weight"));
    try (NDManager step = manager.newSubManager()) {
      NDArray x = images(step, 2, 1, 16, 5);
      NDArray t = steps(step, 100, 100);
      NDArray f0 = mid(cond, x, t, step.create(new long[] {0, 0}));
      NDArray f1 = mid(cond, x, t, step.create(new long[] {1, 1}));
      NDArray nullClass = mid(cond, x, t, step.create(new long[] {10, 10}));
      NDArray absent = mid(cond, x, t, null);
      assertTrue(f0.sub(f1).abs().max().getFloat() > 1e-4, "labels change the output");
      assertArrayEquals(nullClass.toFloatArray(), absent.toFloatArray(), 0f);
      assertEquals(new Shape(2, 16, 8, 8), mid(uncond, x, t, null).getShape());
      NDArray labels = step.create(new long[] {0, 1});
      assertThrows(IllegalArgumentException.class, () -> mid(uncond, x, t, labels));
    }
  }

  private NDArray mid(UNet net, NDArray x, NDArray t, NDArray labels) {
    return net.features(ps, x, t, labels, FeatureLayers.MID, false).get(0);
  }

  @Test
  void gradientFlowsThroughFrozenNetToItsInput() {
    UNet net = UNet.create(tiny(), manager, 0);
    net.freezeParameters(true);
    float[] before =
        net.namedParameters().get("down.0.res.0.conv1.weight").getArray().toFloatArray();
    try (NDManager step = manager.newSubManager()) {
      NDArray x = images(step, 2, 1, 16, 6);
      x.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray f = mid(net, x, steps(step, 3, 4), null);
        gc.backward(f.square().mean());
      }
      assertTrue(x.getGradient().abs().sum().getFloat() > 0, "input gradient");
    }
    for (Parameter p : net.namedParameters().values()) {
      assertFalse(p.requiresGradient(), p.getName());
    }
    assertArrayEquals(
        before, net.namedParameters().get("down.0.res.0.conv1.weight").getArray().toFloatArray());
  }

  @Test
  void copiedWeightsGiveIdenticalOutputs() {
    UNet source = UNet.create(tiny(), manager, 1);
    randomizeConstants(source, 9);
    UNet copy = UNet.create(tiny(), manager, 2);
    copy.freezeParameters(true);
    copy.copyWeightsFrom(source);
    UNet trainable = UNet.create(tiny(), manager, 3);
    trainable.copyWeightsFrom(source);
    assertTrue(trainable.namedParameters().get("conv_in.weight").requiresGradient());
    try (NDManager step = manager.newSubManager()) {
      NDArray x = images(step, 2, 1, 16, 7);
      NDArray t = steps(step, 7, 700);
      NDArray labels = step.create(new long[] {2, 10});
      NDArray ys = source.predict(ps, x, t, labels, false);
      assertTrue(ys.abs().sum().getFloat() > 0);
      assertArrayEquals(
          ys.toFloatArray(), copy.predict(ps, x, t, labels, false).toFloatArray(), 0f);
      assertArrayEquals(
          ys.toFloatArray(), trainable.predict(ps, x, t, labels, false).toFloatArray(), 0f);
    }
    UNet other = UNet.create(tiny().withNumClasses(0), manager, 1);
    assertThrows(IllegalArgumentException.class, () -> other.copyWeightsFrom(source));
  }

  /**
   * With grad mode off the blocks write into their temporaries and free them early; the result must
   * be the bits of the graph-keeping forward (grad mode on, as the perceptual network runs under a
   * gradient collector), and the caller's input must be untouched. Tiny and bench (attention at 8x8
   * and 7x7, padded 1- and 8-channel convolutions, odd sizes).
   */
  @Test
  void inferencePathGivesTheBitsOfTheGraphKeepingPath() {
    for (UNetConfig config : List.of(tiny(), UNetPresets.named("bench"))) {
      UNet net = UNet.create(config, manager, 4);
      randomizeConstants(net, 5);
      int size = config.imageSize();
      try (NDManager step = manager.newSubManager()) {
        NDArray x = images(step, 3, 1, size, 8);
        float[] xBefore = x.toFloatArray();
        NDArray t = steps(step, 1, 500, 1000);
        NDArray labels = step.create(new long[] {0, 9, 10});
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        assertTrue(ModelBlock.inference());
        float[] fast = net.predict(ps, x, t, labels, false).toFloatArray();
        float[] kept;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          assertFalse(ModelBlock.inference());
          kept = net.predict(ps, x, t, labels, false).toFloatArray();
        }
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        double mass = 0;
        for (float v : fast) {
          mass += Math.abs(v);
        }
        assertTrue(mass > 0 && Double.isFinite(mass), "a non-trivial output: " + mass);
        assertArrayEquals(kept, fast, 0f, config.toString());
        assertArrayEquals(xBefore, x.toFloatArray(), 0f, "input untouched");
        // features from a frozen net with grad mode off (the real branch) are unaffected too
        NDList f = net.features(ps, x, t, labels, FeatureLayers.ALL, false);
        assertTrue(f.size() > 3);
        for (NDArray a : f) {
          assertTrue(Float.isFinite(a.sum().getFloat()));
        }
      }
    }
  }

  @Test
  void setWeightsChecksNamesAndShapes() {
    UNet net = UNet.create(tiny(), manager, 0);
    Map<String, NDArray> values = new java.util.LinkedHashMap<>();
    net.namedParameters().forEach((k, p) -> values.put(k, manager.ones(p.getShape())));
    net.setWeights(values);
    assertEquals(1f, net.namedParameters().get("conv_out.weight").getArray().min().getFloat());
    values.put("conv_in.weight", manager.ones(new Shape(1)));
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> net.setWeights(values));
    assertTrue(bad.getMessage().startsWith("conv_in.weight"), bad.getMessage());
    values.remove("conv_in.weight");
    values.put("extra", manager.ones(new Shape(1)));
    bad = assertThrows(IllegalArgumentException.class, () -> net.setWeights(values));
    assertTrue(bad.getMessage().contains("[conv_in.weight]"), bad.getMessage());
    assertTrue(bad.getMessage().contains("[extra]"), bad.getMessage());
  }

  @Test
  void blockForwardTakesInputsAsAnNdList() {
    UNet net = UNet.create(tiny(), manager, 0);
    try (NDManager step = manager.newSubManager()) {
      NDArray x = images(step, 2, 1, 16, 8);
      NDList out =
          net.block()
              .forward(ps, new NDList(x, steps(step, 1, 2), step.create(new long[] {0, 1})), false);
      assertEquals(new Shape(2, 1, 16, 16), out.singletonOrThrow().getShape());
      assertEquals(
          new Shape(2, 1, 16, 16),
          net.getOutputShapes(new Shape[] {new Shape(2, 1, 16, 16), new Shape(2)})[0]);
    }
  }
}
