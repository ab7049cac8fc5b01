package org.spdiff.core.bench;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
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
import org.spdiff.core.train.DiffusionTrainer;
import org.spdiff.core.train.NetFactory;
import org.spdiff.core.train.Nets;
import org.spdiff.core.train.TrainConfig;
import org.spdiff.core.train.WeightsRef;

/**
 * Throughput figures for the {@code bench} UNet (float32, v-prediction, the surefire thread count):
 * ms per MSE training step and per self-perceptual step (mid-block features) at batch 64, their
 * ratio, and DDIM-50 images/s at batch 256 without and with CFG. Prints medians after warm-up; no
 * assertion on time.
 *
 * <p>Run: {@code mvn -pl core test -Dsurefire.groups=bench -Dsurefire.excludedGroups=
 * -Dtest=DiffusionBench}; figures go to stdout (surefire's {@code *-output.txt}) and to {@code
 * core/target/bench/diffusion-bench.txt}. Sizes: {@code -Dbench.batch=64 -Dbench.warmup=3
 * -Dbench.steps=10 -Dbench.ddimBatch=256 -Dbench.ddimSteps=50 -Dbench.ddimRepeats=1}. Run it with
 * {@code bin/env.sh}'s malloc settings ({@code make bench} and {@code make bench-peer} do): without
 * them the batch-256 sampling figure is 2-3x lower ({@link org.spdiff.core.engine.MallocSettings}).
 */
@Tag("bench")
class DiffusionBench {
  private static int prop(String name, int def) {
    return Integer.getInteger("bench." + name, def);
  }

  /** Random-ish uint8 images of the preset's size, 10 classes. */
  private static ImageSet data(int n, int size) {
    byte[][] px = new byte[n][size * size];
    int[] labels = new int[n];
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    for (int i = 0; i < n; i++) {
      labels[i] = i % 10;
      for (int j = 0; j < px[i].length; j++) {
        px[i][j] = (byte) r.nextInt(256);
      }
    }
    return new ImageSet(1, size, size, px, labels, 10);
  }

  private static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(d -> d).toArray();
    Arrays.sort(a);
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  /** ms per step of each timed step (after warm-up), from the per-step progress callback. */
  private static List<Double> stepTimes(
      DiffusionTrainer trainer, ImageSet data, int batch, int warm) throws IOException {
    List<Double> ms = new ArrayList<>();
    trainer
        .onProgress(
            (s, l, ips) -> {
              if (s > warm) {
                ms.add(1000.0 * batch / ips);
              }
            })
        .run(data);
    return ms;
  }

  @Test
  void figures(@TempDir Path dir) throws IOException {
    int batch = prop("batch", 64);
    int warm = prop("warmup", 3);
    int steps = prop("steps", 10);
    int ddimBatch = prop("ddimBatch", 256);
    int ddimSteps = prop("ddimSteps", 50);
    int ddimRepeats = prop("ddimRepeats", 1);
    UNetConfig unet = UNetPresets.named("bench");
    NetFactory factory = Nets.unet(unet);
    ImageSet data = data(Math.max(256, batch), unet.imageSize());
    TrainConfig mse =
        TrainConfig.builder()
            .schedule("scaled-linear", 1000, true)
            .batchSize(batch)
            .steps(warm + steps)
            .lr(1e-4)
            .checkpointEvery(0)
            .logEvery(1)
            .build();
    List<String> out = new ArrayList<>();
    out.add(
        String.format(
            Locale.ROOT,
            "bench UNet: %d params; batch %d; threads %s; %d warm-up + %d timed steps; forward %s",
            Nets.unet(unet).create(NDManager.newBaseManager(), 0)
                    instanceof org.spdiff.core.model.UNet u
                ? u.parameterCount()
                : -1,
            batch,
            System.getProperty("ai.djl.pytorch.num_threads", "default"),
            warm,
            steps,
            System.getProperty(org.spdiff.core.model.UNet.FORWARD_PROPERTY, "torchscript")));
    LocalCheckpointStore s1 = new LocalCheckpointStore(dir.resolve("mse"));
    List<Double> mseMs = stepTimes(new DiffusionTrainer(mse, factory, s1), data, batch, warm);
    Checkpoint teacher = Checkpoint.readLatest(s1).orElseThrow();
    TrainConfig sp = mse.toBuilder().selfPerceptual(SelfPerceptualConfig.paper()).build();
    List<Double> spMs =
        stepTimes(
            new DiffusionTrainer(sp, factory, new LocalCheckpointStore(dir.resolve("sp")))
                .initialWeights(new WeightsRef(teacher, false))
                .perceptualWeights(teacher),
            data,
            batch,
            warm);
    double m1 = median(mseMs);
    double m2 = median(spMs);
    out.add(String.format(Locale.ROOT, "MSE step: median %.1f ms %s", m1, round(mseMs)));
    out.add(String.format(Locale.ROOT, "SP step (mid-block): median %.1f ms %s", m2, round(spMs)));
    out.add(String.format(Locale.ROOT, "SP/MSE ratio: %.2f (target <= 1.5)", m2 / m1));

    try (CheckpointSampler sampler = CheckpointSampler.open(teacher, true)) {
      long[] ids = new long[ddimBatch];
      int[] labels = new int[ddimBatch];
      for (int i = 0; i < ddimBatch; i++) {
        ids[i] = i;
        labels[i] = i % 10;
      }
      sampler.generateUint8(SamplerConfig.ddim(2).withCfg(1.0, 0), 0, ids, labels); // warm-up
      for (double cfg : new double[] {0.0, 1.5}) {
        List<Double> ips = new ArrayList<>();
        for (int r = 0; r < ddimRepeats; r++) {
          long t0 = System.nanoTime();
          sampler.generateUint8(SamplerConfig.ddim(ddimSteps).withCfg(cfg, 0), 1, ids, labels);
          ips.add(ddimBatch / ((System.nanoTime() - t0) / 1e9));
        }
        out.add(
            String.format(
                Locale.ROOT,
                "DDIM-%d batch %d CFG %s: median %.2f images/s %s",
                ddimSteps,
                ddimBatch,
                cfg == 0 ? "off" : "on (w=" + cfg + ")",
                median(ips),
                round(ips)));
      }
    }
    String text = String.join("\n", out);
    System.out.println(text);
    Path report = Path.of("target", "bench", "diffusion-bench.txt");
    Files.createDirectories(report.getParent());
    Files.writeString(report, text + "\n");
  }

  private static String round(List<Double> xs) {
    return xs.stream().map(d -> String.format(Locale.ROOT, "%.1f", d)).toList().toString();
  }
}
