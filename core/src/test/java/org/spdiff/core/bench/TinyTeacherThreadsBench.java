package org.spdiff.core.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.core.checkpoint.LocalCheckpointStore;
import org.spdiff.core.data.ImageSet;
import org.spdiff.core.engine.CpuBudget;
import org.spdiff.core.engine.GradMode;
import org.spdiff.core.model.UNetPresets;
import org.spdiff.core.train.DiffusionTrainer;
import org.spdiff.core.train.Nets;
import org.spdiff.core.train.TrainConfig;

/**
 * Seconds to train the tiny teacher of {@code experiments/tiny.yaml} (tiny UNet at 16x16, 20 steps
 * of batch 16, lr 1e-3, linear schedule, checkpoints every 10 steps) with the intra-op thread count
 * of {@code ai.djl.pytorch.num_threads} (surefire's {@code -Ddjl.threads}); run it once with the
 * machine idle and once while another process holds a core ({@code yes > /dev/null &}) to see what
 * oversubscribed OpenMP threads cost. No assertion on time.
 *
 * <p>Run: {@code mvn -pl core test -Dsurefire.groups=bench -Dsurefire.excludedGroups=
 * -Dtest=TinyTeacherThreadsBench -Ddjl.threads=N}.
 */
@Tag("bench")
class TinyTeacherThreadsBench {
  @Test
  void train(@TempDir Path dir) throws IOException {
    int chosen = CpuBudget.threadsPerWorker(1);
    GradMode.offOnThisThread();
    int n = 512;
    byte[][] px = new byte[n][16 * 16];
    int[] labels = new int[n];
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    for (int i = 0; i < n; i++) {
      labels[i] = i % 10;
      for (int j = 0; j < px[i].length; j++) {
        px[i][j] = (byte) r.nextInt(256);
      }
    }
    ImageSet data = new ImageSet(1, 16, 16, px, labels, 10);
    TrainConfig config =
        TrainConfig.builder()
            .schedule("linear", 1000, false)
            .batchSize(16)
            .steps(20)
            .lr(1e-3)
            .checkpointEvery(10)
            .logEvery(10)
            .build();
    long t0 = System.nanoTime();
    new DiffusionTrainer(
            config,
            Nets.unet(UNetPresets.named("tiny")),
            new LocalCheckpointStore(dir.resolve("teacher")))
        .run(data);
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.println(
        String.format(
            Locale.ROOT,
            "tiny teacher, 20 steps of batch 16: %.2f s with %s intra-op threads (CpuBudget"
                + " chose %d before the run)",
            s,
            System.getProperty("ai.djl.pytorch.num_threads", "default"),
            chosen));
  }
}
