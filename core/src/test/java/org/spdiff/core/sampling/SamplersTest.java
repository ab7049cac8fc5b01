package org.spdiff.core.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.spdiff.core.diffusion.GaussianDiffusion;
import org.spdiff.core.diffusion.Parameterization;
import org.spdiff.core.schedule.NoiseSchedules;
import org.spdiff.core.testing.TinyNet;

class SamplersTest {
  private static final Shape IMG = new Shape(1, 8, 8);
  private final GaussianDiffusion diffusion =
      new GaussianDiffusion(NoiseSchedules.named("scaled-linear", 1000, true));

  @Test
  void spacingsMatchLinEtAlTable2() {
    assertArrayEquals(
        new long[] {1000, 900, 800, 700, 600, 500, 400, 300, 200, 100},
        TimestepSpacing.TRAILING.timesteps(1000, 10));
    assertArrayEquals(
        new long[] {901, 801, 701, 601, 501, 401, 301, 201, 101, 1},
        TimestepSpacing.LEADING.timesteps(1000, 10));
    assertArrayEquals(
        new long[] {1000, 889, 778, 667, 556, 445, 334, 223, 112, 1},
        TimestepSpacing.LINSPACE.timesteps(1000, 10));
    assertEquals(50, TimestepSpacing.TRAILING.timesteps(1000, 50).length);
    assertThrows(IllegalArgumentException.class, () -> TimestepSpacing.TRAILING.timesteps(10, 11));
  }

  private NDArray generate(NDManager m, TinyNet net, SamplerConfig cfg, long[] ids, int[] labels) {
    return Samplers.generate(net, diffusion, Parameterization.V, cfg, IMG, 11, ids, labels, m);
  }

  @Test
  void ddimIsDeterministicAndBatchIndependent() {
    try (NDManager m = NDManager.newBaseManager()) {
      TinyNet net = TinyNet.create(m, 1, 8, 8, 4, 5);
      net.block().freezeParameters(true);
      for (SamplerConfig cfg :
          new SamplerConfig[] {
            SamplerConfig.ddim(8),
            SamplerConfig.ddim(8).withCfg(2.0, 0.7),
            SamplerConfig.ddim(8).withEta(1.0),
            new SamplerConfig("ddpm", 8, TimestepSpacing.LINSPACE, 0, 1.5, 0, true),
            SamplerConfig.ddim(8).withSampler("dpm++2m", 6),
            SamplerConfig.ddim(8).withSampler("dpm++2m", 6).withCfg(2.0, 0.7),
            SamplerConfig.ddim(8).withSampler("heun", 5).withSpacing(TimestepSpacing.KARRAS),
            SamplerConfig.ddim(8).withSampler("heun", 5).withCfg(1.5, 0)
          }) {
        long[] ids = {0, 1, 2, 3, 4, 5};
        int[] labels = {0, 1, 2, 3, 4, 1};
        float[] all = generate(m, net, cfg, ids, labels).toFloatArray();
        float[] again = generate(m, net, cfg, ids, labels).toFloatArray();
        assertArrayEquals(all, again, cfg.toString());
        float[] a = generate(m, net, cfg, new long[] {0, 1}, new int[] {0, 1}).toFloatArray();
        float[] b =
            generate(m, net, cfg, new long[] {2, 3, 4, 5}, new int[] {2, 3, 4, 1}).toFloatArray();
        float[] joined = new float[all.length];
        System.arraycopy(a, 0, joined, 0, a.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        assertArrayEquals(all, joined, "batch 6 vs 2+4: " + cfg);
        for (float v : all) {
          assertTrue(v >= -1f && v <= 1f);
        }
      }
    }
  }

  @Test
  void ddpmEqualsDdimWithEtaOne() {
    try (NDManager m = NDManager.newBaseManager()) {
      TinyNet net = TinyNet.create(m, 1, 8, 8, 0, 5);
      net.block().freezeParameters(true);
      long[] ids = {0, 1, 2};
      SamplerConfig ddim = SamplerConfig.ddim(20).withEta(1.0).withClipX0(false);
      SamplerConfig ddpm = new SamplerConfig("ddpm", 20, TimestepSpacing.TRAILING, 0, 0, 0, false);
      float[] a = generate(m, net, ddim, ids, null).toFloatArray();
      float[] b = generate(m, net, ddpm, ids, null).toFloatArray();
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i], b[i], 1e-4, "element " + i);
      }
      float[] det = generate(m, net, SamplerConfig.ddim(20), ids, null).toFloatArray();
      assertFalse(Arrays.equals(a, det));
    }
  }

  @Test
  void guidanceChangesOutputAndNeedsConditionalNet() {
    try (NDManager m = NDManager.newBaseManager()) {
      TinyNet cond = TinyNet.create(m, 1, 8, 8, 4, 5);
      long[] ids = {0, 1};
      int[] labels = {1, 2};
      float[] off = generate(m, cond, SamplerConfig.ddim(5), ids, labels).toFloatArray();
      float[] on =
          generate(m, cond, SamplerConfig.ddim(5).withCfg(3, 0), ids, labels).toFloatArray();
      assertFalse(Arrays.equals(off, on));
      TinyNet uncond = TinyNet.create(m, 1, 8, 8, 0, 5);
      assertThrows(
          IllegalArgumentException.class,
          () -> generate(m, uncond, SamplerConfig.ddim(5).withCfg(3, 0), ids, null));
      assertThrows(IllegalArgumentException.class, () -> SamplerConfig.ddim(5).withCfg(-1, 0));
    }
  }

  /**
   * {@code pred = cond + w (cond - uncond)} from two separate network calls, converted with the
   * v-parameterization; the one-pass (doubled batch, the GPU path) and two-pass (CPU) forms agree.
   */
  @Test
  void guidanceIsCondPlusScaleTimesDifference() {
    try (NDManager m = NDManager.newBaseManager()) {
      TinyNet net = TinyNet.create(m, 1, 8, 8, 4, 5);
      ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(m, false);
      NDArray xt = m.randomNormal(new Shape(3, 1, 8, 8));
      long t = 400;
      NDArray labels = m.create(new long[] {0, 3, 1});
      NDArray nulls = m.create(new long[] {4, 4, 4});
      NDArray ts = m.create(new long[] {t, t, t});
      float[] cond = net.predict(ps, xt, ts, labels, false).toFloatArray();
      float[] uncond = net.predict(ps, xt, ts, nulls, false).toFloatArray();
      float[] pred = new float[cond.length];
      for (int i = 0; i < pred.length; i++) {
        pred[i] = cond[i] + 2.5f * (cond[i] - uncond[i]);
      }
      float[] expected =
          Parameterization.V.toX0Eps(
                  m.create(pred, xt.getShape()), xt, diffusion.coefficients(m, t, 3))
              .x0()
              .toFloatArray();
      for (boolean onePass : new boolean[] {false, true}) {
        float[] x0 =
            new GuidedDenoiser(net, ps, diffusion, Parameterization.V, labels, 2.5, 0, false)
                .onePass(onePass)
                .denoise(xt, t)
                .x0()
                .toFloatArray();
        for (int i = 0; i < x0.length; i++) {
          assertEquals(expected[i], x0[i], 1e-5, "onePass=" + onePass + " element " + i);
        }
      }
    }
  }

  /** An untrained UNet predicts zeros (zero-initialised output): the rescale must not give 0/0. */
  @Test
  void guidanceRescaleOfAConstantPredictionStaysFinite() {
    try (NDManager m = NDManager.newBaseManager()) {
      org.spdiff.core.model.UNet net =
          org.spdiff.core.model.UNet.create(
              org.spdiff.core.model.UNetPresets.named("tiny").withNumClasses(4).withImageSize(8),
              m,
              1);
      NDArray xt = m.randomNormal(new Shape(2, 1, 8, 8));
      NDArray labels = m.create(new long[] {0, 3});
      ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(m, false);
      float[] x0 =
          new GuidedDenoiser(net, ps, diffusion, Parameterization.V, labels, 1.5, 0.7, false)
              .denoise(xt, 400)
              .x0()
              .toFloatArray();
      for (float v : x0) {
        assertTrue(Float.isFinite(v), "x0 has " + v);
      }
    }
  }

  /**
   * A float16 copy of the UNet (the GPU path, run here on the CPU through the package-private
   * factory) predicts within float16 rounding of float32 and leaves the source float32; the public
   * path refuses float16 on a CPU with a message and before any native call. bfloat16 generation
   * (TorchScript) stays within bfloat16's rounding of float32, is bitwise repeatable and gives the
   * same images whichever way the batch is cut into calls.
   */
  @Test
  void halfPrecisionCopyIsCloseToFp32AndRefusalsAreClear() {
    try (NDManager m = NDManager.newBaseManager()) {
      org.spdiff.core.model.UNet net =
          org.spdiff.core.model.UNet.create(
              org.spdiff.core.model.UNetPresets.named("tiny").withNumClasses(4).withImageSize(8),
              m,
              1);
      // Non-zero output layers (a fresh UNet's are zero-initialised and would predict zeros).
      java.util.Map<String, NDArray> w = new java.util.LinkedHashMap<>();
      java.util.SplittableRandom r = new java.util.SplittableRandom(2);
      net.namedParameters()
          .forEach(
              (name, p) -> {
                float[] v = p.getArray().toFloatArray();
                for (int i = 0; i < v.length; i++) {
                  v[i] += (float) (0.05 * r.nextGaussian());
                }
                w.put(name, m.create(v, p.getShape()));
              });
      net.setWeights(w);
      net.freezeParameters(true);
      ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(m, false);
      NDArray xt = m.randomNormal(new Shape(3, 1, 8, 8));
      NDArray t = m.create(new long[] {900, 400, 20});
      NDArray labels = m.create(new long[] {0, 3, 4});
      ReducedPrecisionNet half = ReducedPrecisionNet.onAnyDevice(net, GenerationPrecision.FP16, m);
      float[] a = net.predict(ps, xt, t, labels, false).toFloatArray();
      NDArray hp = half.predict(ps, xt, t, labels, false);
      assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, hp.getDataType());
      float[] b = hp.toFloatArray();
      double maxDiff = 0;
      double scale = 0;
      for (int i = 0; i < a.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
        scale = Math.max(scale, Math.abs(a[i]));
      }
      assertTrue(maxDiff > 0, "float16 gave the float32 result bit for bit: not run in float16");
      assertTrue(maxDiff < 1e-2 * Math.max(1, scale), "fp16 vs fp32 max difference " + maxDiff);
      half.block()
          .getParameters()
          .values()
          .forEach(
              p -> assertEquals(ai.djl.ndarray.types.DataType.FLOAT16, p.getArray().getDataType()));
      net.getParameters()
          .values()
          .forEach(
              p -> assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, p.getArray().getDataType()));
      long[] ids = {0, 1};
      int[] lab = {0, 1};
      SamplerConfig fp32 = SamplerConfig.ddim(4).withCfg(1.0, 0);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  Samplers.generate(
                      net,
                      diffusion,
                      Parameterization.V,
                      fp32.withPrecision(GenerationPrecision.FP16),
                      IMG,
                      3,
                      ids,
                      lab,
                      m));
      assertTrue(e.getMessage().contains("only on a GPU"), e.getMessage());

      long[] four = {0, 1, 2, 3};
      int[] fourLabels = {0, 1, 2, 3};
      SamplerConfig bf16 = fp32.withPrecision(GenerationPrecision.BF16);
      float[] ref =
          Samplers.generate(net, diffusion, Parameterization.V, fp32, IMG, 3, four, fourLabels, m)
              .toFloatArray();
      float[] low =
          Samplers.generate(net, diffusion, Parameterization.V, bf16, IMG, 3, four, fourLabels, m)
              .toFloatArray();
      float[] again =
          Samplers.generate(net, diffusion, Parameterization.V, bf16, IMG, 3, four, fourLabels, m)
              .toFloatArray();
      assertArrayEquals(low, again, "bf16 generation is not repeatable");
      double diff = 0;
      for (int i = 0; i < ref.length; i++) {
        diff = Math.max(diff, Math.abs(ref[i] - low[i]));
      }
      assertTrue(diff > 0 && diff < 0.1, "bf16 vs fp32 samples (range [-1, 1]): " + diff);
      ReducedPrecisionNet scripted = ReducedPrecisionNet.of(net, GenerationPrecision.BF16, m);
      java.util.function.IntFunction<float[]> twoFrom =
          first ->
              Samplers.generate(
                      scripted,
                      diffusion,
                      Parameterization.V,
                      bf16,
                      IMG,
                      3,
                      new long[] {first, first + 1},
                      new int[] {first, first + 1},
                      m)
                  .toFloatArray();
      float[] firstTwo = twoFrom.apply(0);
      float[] lastTwo = twoFrom.apply(2);
      float[] joined = new float[low.length];
      System.arraycopy(firstTwo, 0, joined, 0, firstTwo.length);
      System.arraycopy(lastTwo, 0, joined, firstTwo.length, lastTwo.length);
      double split = 0;
      for (int i = 0; i < low.length; i++) {
        split = Math.max(split, Math.abs(joined[i] - low[i]));
      }
      assertTrue(split < 1e-2, "bf16 in two calls against one: " + split);
    }
  }

  @Test
  void uint8Conversion() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {-1f, 1f, 0f, 2f, -2f, 0.5f}, new Shape(1, 1, 2, 3));
      byte[][] u = Images.toUint8(x);
      int[] got = new int[6];
      for (int i = 0; i < 6; i++) {
        got[i] = u[0][i] & 0xff;
      }
      assertArrayEquals(new int[] {0, 255, 128, 255, 0, 191}, got);
    }
  }
}
