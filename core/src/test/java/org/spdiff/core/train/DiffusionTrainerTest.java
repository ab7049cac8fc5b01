package org.spdiff.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.core.checkpoint.Checkpoint;
import org.spdiff.core.checkpoint.CorruptCheckpointException;
import org.spdiff.core.checkpoint.LocalCheckpointStore;
import org.spdiff.core.checkpoint.NamedParameters;
import org.spdiff.core.data.ImageSet;
import org.spdiff.core.loss.Distance;
import org.spdiff.core.loss.NoisePairing;
import org.spdiff.core.loss.SelfPerceptualConfig;
import org.spdiff.core.model.DiffusionNet;
import org.spdiff.core.model.FeatureLayers;
import org.spdiff.core.testing.TinyNet;
import org.spdiff.core.testing.ToyData;

class DiffusionTrainerTest {
  private static final ImageSet DATA = ToyData.patterns(64, 1, 8);
  private static final NetFactory TINY = TinyNet.factory(1, 8, 16, 4);

  private static TrainConfig.Builder base() {
    return TrainConfig.builder()
        .schedule("linear", 1000, true)
        .batchSize(16)
        .lr(3e-3)
        .ema(0.99, true)
        .condDropout(0.1)
        .gradClip(1.0)
        .warmupSteps(5)
        .adamW(0.9, 0.999, 1e-8, 0.01)
        .seed(7)
        .checkpointEvery(0)
        .logEvery(1);
  }

  private static Map<String, float[]> arrays(Checkpoint ck, String file) {
    Map<String, float[]> r = new HashMap<>();
    try (NDManager m = NDManager.newBaseManager()) {
      ck.arrays(file, m).forEach((k, v) -> r.put(k, v.toFloatArray()));
    }
    return r;
  }

  @Test
  void lossFallsOnToyData(@TempDir Path dir) throws IOException {
    List<Double> losses = new ArrayList<>();
    TrainConfig cfg = base().steps(150).build();
    new DiffusionTrainer(cfg, TINY, new LocalCheckpointStore(dir))
        .onProgress((s, l, ips) -> losses.add(l))
        .run(DATA);
    assertEquals(150, losses.size());
    double first = losses.subList(0, 15).stream().mapToDouble(d -> d).average().orElseThrow();
    double last = losses.subList(135, 150).stream().mapToDouble(d -> d).average().orElseThrow();
    System.out.printf("toy loss: first 15 steps %.4f, last 15 steps %.4f%n", first, last);
    assertTrue(last < 0.6 * first, "first " + first + ", last " + last);
  }

  @Test
  void checkpointAtEndOffWritesNothingUnlessAskedEveryN(@TempDir Path dir) throws IOException {
    LocalCheckpointStore none = new LocalCheckpointStore(dir.resolve("none"));
    List<Long> steps = new ArrayList<>();
    DiffusionTrainer.Result r =
        new DiffusionTrainer(base().steps(3).build(), TINY, none)
            .checkpointAtEnd(false)
            .onProgress((s, l, ips) -> steps.add(s))
            .run(DATA);
    assertEquals(List.of(1L, 2L, 3L), steps, "every step still runs");
    assertTrue(none.list().isEmpty(), "no checkpoint: " + none.list());
    assertTrue(Checkpoint.readLatest(none).isEmpty());
    assertTrue(Double.isFinite(r.lastLoss()));
    assertEquals(null, r.lastCheckpoint());
    LocalCheckpointStore every = new LocalCheckpointStore(dir.resolve("every"));
    new DiffusionTrainer(base().steps(3).checkpointEvery(2).build(), TINY, every)
        .checkpointAtEnd(false)
        .run(DATA);
    assertEquals(2, Checkpoint.readLatest(every).orElseThrow().manifest().step(), "step 2 only");
  }

  @Test
  void resumeIsBitwiseEqualToUninterrupted(@TempDir Path dir) throws IOException {
    // Stage 1 (MSE), then stage 2 (self-perceptual, shared-fresh pairing to cover every draw).
    TrainConfig mse = base().steps(6).checkpointEvery(3).build();
    TrainConfig sp =
        base()
            .steps(6)
            .checkpointEvery(3)
            .selfPerceptual(
                new SelfPerceptualConfig(
                    "logit-normal(0,1)",
                    "uniform",
                    NoisePairing.SHARED_FRESH,
                    FeatureLayers.ALL,
                    Distance.MSE,
                    0.5))
            .build();
    LocalCheckpointStore teacherStore = new LocalCheckpointStore(dir.resolve("teacher"));
    new DiffusionTrainer(mse, TINY, teacherStore).run(DATA);
    Checkpoint teacher = Checkpoint.readLatest(teacherStore).orElseThrow();

    for (TrainConfig cfg : new TrainConfig[] {mse, sp}) {
      String tag = cfg.objective();
      LocalCheckpointStore once = new LocalCheckpointStore(dir.resolve(tag + "-once"));
      LocalCheckpointStore twice = new LocalCheckpointStore(dir.resolve(tag + "-twice"));
      trainer(cfg, once, teacher).run(DATA);
      TrainConfig half = cfg.toBuilder().steps(3).build();
      DiffusionTrainer.Result r1 = trainer(half, twice, teacher).run(DATA);
      assertEquals(3, r1.step());
      DiffusionTrainer.Result r2 = trainer(cfg, twice, teacher).run(DATA);
      assertEquals(6, r2.step());
      Checkpoint a = Checkpoint.readLatest(once).orElseThrow();
      Checkpoint b = Checkpoint.readLatest(twice).orElseThrow();
      assertEquals(6, a.step());
      assertEquals(6, b.step());
      for (String file : new String[] {Checkpoint.WEIGHTS, Checkpoint.EMA, Checkpoint.OPTIMIZER}) {
        Map<String, float[]> wa = arrays(a, file);
        Map<String, float[]> wb = arrays(b, file);
        assertEquals(wa.keySet(), wb.keySet());
        for (String k : wa.keySet()) {
          assertArrayEquals(wa.get(k), wb.get(k), tag + " " + file + " " + k);
        }
      }
      if (!cfg.usesSelfPerceptual()) {
        continue;
      }
      // Stage 2 did move the weights away from the teacher.
      Map<String, float[]> w0 = arrays(teacher, Checkpoint.WEIGHTS);
      Map<String, float[]> w1 = arrays(a, Checkpoint.WEIGHTS);
      assertTrue(
          w0.keySet().stream().anyMatch(k -> !java.util.Arrays.equals(w0.get(k), w1.get(k))));
    }
  }

  /**
   * Garbage collections landing anywhere inside steps (a thread forcing them all along) leave the
   * trained weights bitwise equal: nothing autograd keeps lives in memory the collector frees (see
   * NativeArrays). The real UNet with attention, self-perceptual over all layers with lambda > 0.
   */
  @Test
  void collectionsDuringTrainingChangeNothing(@TempDir Path dir) throws Exception {
    NetFactory unet =
        Nets.unet(
            org.spdiff.core.model.UNetPresets.named("tiny").withNumClasses(4).withImageSize(8));
    TrainConfig mse = base().steps(4).build();
    LocalCheckpointStore teacherStore = new LocalCheckpointStore(dir.resolve("teacher"));
    new DiffusionTrainer(mse, unet, teacherStore).run(DATA);
    Checkpoint teacher = Checkpoint.readLatest(teacherStore).orElseThrow();
    TrainConfig sp =
        base()
            .steps(8)
            .selfPerceptual(
                new SelfPerceptualConfig(
                    "uniform",
                    "uniform",
                    NoisePairing.PREDICTED,
                    FeatureLayers.ALL,
                    Distance.MSE,
                    0.5))
            .build();
    LocalCheckpointStore quiet = new LocalCheckpointStore(dir.resolve("quiet"));
    new DiffusionTrainer(sp, unet, quiet).perceptualWeights(teacher).run(DATA);

    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread collector =
        new Thread(
            () -> {
              while (!stop.get()) {
                System.gc();
                // reuse freed direct memory with junk
                java.nio.ByteBuffer.allocateDirect(64).putFloat(0, 1000f);
              }
            });
    collector.setDaemon(true);
    collector.start();
    LocalCheckpointStore noisy = new LocalCheckpointStore(dir.resolve("noisy"));
    try {
      new DiffusionTrainer(sp, unet, noisy).perceptualWeights(teacher).run(DATA);
    } finally {
      stop.set(true);
      collector.join();
    }
    Map<String, float[]> a = arrays(Checkpoint.readLatest(quiet).orElseThrow(), Checkpoint.WEIGHTS);
    Map<String, float[]> b = arrays(Checkpoint.readLatest(noisy).orElseThrow(), Checkpoint.WEIGHTS);
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k), b.get(k), k);
    }
  }

  private static DiffusionTrainer trainer(TrainConfig cfg, LocalCheckpointStore s, Checkpoint t) {
    DiffusionTrainer tr = new DiffusionTrainer(cfg, TINY, s);
    if (cfg.usesSelfPerceptual()) {
      tr.initialWeights(new WeightsRef(t, false)).perceptualWeights(t);
    }
    return tr;
  }

  @Test
  void perceptualNetStaysFrozen(@TempDir Path dir) throws IOException {
    LocalCheckpointStore teacherStore = new LocalCheckpointStore(dir.resolve("teacher"));
    new DiffusionTrainer(base().steps(3).build(), TINY, teacherStore).run(DATA);
    Checkpoint teacher = Checkpoint.readLatest(teacherStore).orElseThrow();
    Map<String, float[]> teacherWeights = arrays(teacher, Checkpoint.WEIGHTS);

    List<DiffusionNet> created = new ArrayList<>();
    NetFactory capturing =
        new NetFactory() {
          @Override
          public DiffusionNet create(NDManager manager, long seed) {
            DiffusionNet n = TINY.create(manager, seed);
            created.add(n);
            return n;
          }

          @Override
          public JsonNode config() {
            return TINY.config();
          }
        };
    List<String> changed = new ArrayList<>();
    TrainConfig cfg = base().steps(5).selfPerceptual(SelfPerceptualConfig.paper()).build();
    LocalCheckpointStore store = new LocalCheckpointStore(dir.resolve("sp"));
    new DiffusionTrainer(cfg, capturing, store)
        .initialWeights(new WeightsRef(teacher, false))
        .perceptualWeights(teacher)
        .onProgress(
            (s, l, ips) -> {
              DiffusionNet perceptual = created.get(1);
              for (Map.Entry<String, Parameter> p : NamedParameters.of(perceptual).entrySet()) {
                assertFalse(p.getValue().requiresGradient(), p.getKey());
                if (!java.util.Arrays.equals(
                    teacherWeights.get(p.getKey()), p.getValue().getArray().toFloatArray())) {
                  changed.add(s + ":" + p.getKey());
                }
              }
            })
        .run(DATA);
    assertEquals(2, created.size());
    assertTrue(changed.isEmpty(), changed.toString());
    Map<String, float[]> online =
        arrays(Checkpoint.readLatest(store).orElseThrow(), Checkpoint.WEIGHTS);
    assertTrue(
        teacherWeights.keySet().stream()
            .anyMatch(k -> !java.util.Arrays.equals(teacherWeights.get(k), online.get(k))));
  }

  @Test
  void nonFiniteLossStopsWithoutCheckpoint(@TempDir Path dir) throws IOException {
    AtomicInteger calls = new AtomicInteger();
    NetFactory poisoned =
        new NetFactory() {
          @Override
          public DiffusionNet create(NDManager manager, long seed) {
            DiffusionNet inner = TINY.create(manager, seed);
            return new DiffusionNet() {
              @Override
              public NDArray predict(
                  ParameterStore ps, NDArray xt, NDArray t, NDArray labels, boolean training) {
                NDArray out = inner.predict(ps, xt, t, labels, training);
                return calls.incrementAndGet() == 3 ? out.mul(Float.NaN) : out;
              }

              @Override
              public NDList features(
                  ParameterStore ps,
                  NDArray xt,
                  NDArray t,
                  NDArray labels,
                  FeatureLayers layers,
                  boolean training) {
                return inner.features(ps, xt, t, labels, layers, training);
              }

              @Override
              public Block block() {
                return inner.block();
              }

              @Override
              public int numClasses() {
                return inner.numClasses();
              }
            };
          }

          @Override
          public JsonNode config() {
            return TINY.config();
          }
        };
    LocalCheckpointStore store = new LocalCheckpointStore(dir);
    TrainConfig cfg = base().steps(10).checkpointEvery(1).build();
    NonFiniteLossException e =
        assertThrows(
            NonFiniteLossException.class,
            () -> new DiffusionTrainer(cfg, poisoned, store).run(DATA));
    assertEquals(2, e.step());
    assertTrue(e.getMessage().contains("non-finite loss (NaN) at step 2"), e.getMessage());
    assertEquals("step-000000002", Checkpoint.latest(store).orElseThrow());
    // A huge learning rate blows up too, and is caught the same way.
    LocalCheckpointStore store2 = new LocalCheckpointStore(dir.resolve("huge"));
    TrainConfig huge =
        base().steps(200).lr(1e30).gradClip(0).warmupSteps(0).checkpointEvery(0).build();
    assertThrows(
        NonFiniteLossException.class, () -> new DiffusionTrainer(huge, TINY, store2).run(DATA));
    assertTrue(Checkpoint.latest(store2).isEmpty());
  }

  @Test
  void corruptCheckpointNamesTheFile(@TempDir Path dir) throws IOException {
    LocalCheckpointStore store = new LocalCheckpointStore(dir);
    TrainConfig cfg = base().steps(2).build();
    new DiffusionTrainer(cfg, TINY, store).run(DATA);
    Path weights = dir.resolve("step-000000002").resolve(Checkpoint.WEIGHTS);
    byte[] b = Files.readAllBytes(weights);
    Files.write(weights, java.util.Arrays.copyOf(b, b.length / 2));
    CorruptCheckpointException e =
        assertThrows(CorruptCheckpointException.class, () -> Checkpoint.readLatest(store));
    assertTrue(e.getMessage().contains(weights.toString()), e.getMessage());
    TrainConfig longer = cfg.toBuilder().steps(4).build();
    CorruptCheckpointException e2 =
        assertThrows(
            CorruptCheckpointException.class,
            () -> new DiffusionTrainer(longer, TINY, store).run(DATA));
    assertTrue(e2.getMessage().contains(weights.toString()), e2.getMessage());
    // A flipped byte with the right length is caught by the checksum.
    b[b.length - 1] ^= 1;
    Files.write(weights, b);
    CorruptCheckpointException e3 =
        assertThrows(CorruptCheckpointException.class, () -> Checkpoint.readLatest(store));
    assertTrue(e3.getMessage().contains("SHA-256"), e3.getMessage());
  }
}
