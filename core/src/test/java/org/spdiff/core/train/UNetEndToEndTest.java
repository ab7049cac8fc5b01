package org.spdiff.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.core.checkpoint.Checkpoint;
import org.spdiff.core.checkpoint.LocalCheckpointStore;
import org.spdiff.core.data.ImageSet;
import org.spdiff.core.loss.SelfPerceptualConfig;
import org.spdiff.core.model.UNetConfig;
import org.spdiff.core.model.UNetPresets;
import org.spdiff.core.sampling.CheckpointSampler;
import org.spdiff.core.sampling.SamplerConfig;
import org.spdiff.core.testing.ToyData;

/** Stage 1 (MSE) -> stage 2 (self-perceptual) -> sampling, with the real UNet ("tiny" preset). */
class UNetEndToEndTest {

  @Test
  void mseThenSelfPerceptualThenSample(@TempDir Path dir) throws IOException {
    ImageSet data = ToyData.patterns(32, 1, 16);
    UNetConfig unet = UNetPresets.named("tiny").withNumClasses(4);
    NetFactory factory = Nets.unet(unet);
    TrainConfig stage1 =
        TrainConfig.builder()
            .schedule("scaled-linear", 1000, true)
            .batchSize(8)
            .steps(2)
            .lr(1e-3)
            .ema(0.9, true)
            .checkpointEvery(1)
            .logEvery(1)
            .seed(1)
            .build();
    LocalCheckpointStore s1 = new LocalCheckpointStore(dir.resolve("stage1"));
    long t0 = System.nanoTime();
    new DiffusionTrainer(stage1, factory, s1)
        .onProgress(
            (s, l, ips) -> System.out.printf("stage1 step %d loss %.4f %.1f img/s%n", s, l, ips))
        .run(data);
    System.out.printf("stage1 %.2f s%n", (System.nanoTime() - t0) / 1e9);
    Checkpoint teacher = Checkpoint.readLatest(s1).orElseThrow();
    assertEquals(2, teacher.step());
    assertEquals(unet, Nets.unetConfig(teacher));
    assertEquals(stage1, Nets.trainConfig(teacher));
    // Parameter names are the UNet's dotted names.
    try (NDManager m = NDManager.newBaseManager()) {
      assertTrue(teacher.arrays(Checkpoint.WEIGHTS, m).containsKey("conv_in.weight"));
    }

    TrainConfig stage2 =
        stage1.toBuilder().steps(2).lr(1e-4).selfPerceptual(SelfPerceptualConfig.paper()).build();
    LocalCheckpointStore s2 = new LocalCheckpointStore(dir.resolve("stage2"));
    DiffusionTrainer.Result r =
        new DiffusionTrainer(stage2, factory, s2)
            .initialWeights(new WeightsRef(teacher, true))
            .perceptualWeights(teacher)
            .run(data);
    assertEquals(2, r.step());
    assertTrue(Double.isFinite(r.lastLoss()));

    System.out.printf("stage2 done %.2f s%n", (System.nanoTime() - t0) / 1e9);
    Checkpoint student = Checkpoint.readLatest(s2).orElseThrow();
    try (CheckpointSampler sampler = CheckpointSampler.open(student, true);
        NDManager m = NDManager.newBaseManager()) {
      SamplerConfig cfg = SamplerConfig.ddim(3).withCfg(1.5, 0.7);
      long[] ids = {0, 1, 2, 3, 4, 5};
      int[] labels = {0, 1, 2, 3, 4, 2};
      NDArray all = sampler.generate(cfg, 9, ids, labels, m);
      assertEquals(new ai.djl.ndarray.types.Shape(6, 1, 16, 16), all.getShape());
      float[] a = sampler.generate(cfg, 9, new long[] {0, 1}, new int[] {0, 1}, m).toFloatArray();
      float[] b =
          sampler
              .generate(cfg, 9, new long[] {2, 3, 4, 5}, new int[] {2, 3, 4, 2}, m)
              .toFloatArray();
      float[] joined = new float[a.length + b.length];
      System.arraycopy(a, 0, joined, 0, a.length);
      System.arraycopy(b, 0, joined, a.length, b.length);
      // The noise of sample i depends only on (seed, i); CPU kernels pick their algorithm by batch
      // size (measured: batches of 1-3 rows differ from 4+ in the last bits), so a sample computed
      // in another batch agrees to float rounding, not bitwise. The pipeline fixes the batches
      // by generation.shardSize/batchSize, so its samples are bitwise reproducible.
      float[] together = all.toFloatArray();
      for (int i = 0; i < joined.length; i++) {
        assertEquals(
            together[i], joined[i], 1e-5, "UNet sample element " + i + " depends on the batch");
      }
      System.out.printf("sampling done %.2f s%n", (System.nanoTime() - t0) / 1e9);
      byte[][] u8 = sampler.generateUint8(SamplerConfig.ddim(2), 9, new long[] {7}, new int[] {4});
      assertEquals(256, u8[0].length);
    }
  }
}
