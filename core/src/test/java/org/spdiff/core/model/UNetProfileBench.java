package org.spdiff.core.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spdiff.core.engine.GradMode;

/**
 * libtorch's own profiler (through DJL's {@code JniUtils.startProfile}) over one {@code bench} UNet
 * inference forward at the sampling batch (256, grad mode off, as a DDIM step runs it) and one
 * training forward+backward at batch 64. Writes Chrome traces to {@code
 * core/target/bench/profile-{forward,train}.json}; {@code infra/bench/peer/profile_table.py} turns
 * them into self time per op, next to PyTorch's profile of the same work.
 *
 * <p>Run: {@code mvn -pl core test -Dsurefire.groups=bench -Dsurefire.excludedGroups=
 * -Dtest=UNetProfileBench -Ddjl.threads=2}.
 */
@Tag("bench")
class UNetProfileBench {
  @Test
  void profile() throws Exception {
    GradMode.offOnThisThread();
    int b = Integer.getInteger("bench.ddimBatch", 256);
    Path dir = Path.of("target", "bench");
    Files.createDirectories(dir);
    try (NDManager m = NDManager.newBaseManager()) {
      ParameterStore ps = new ParameterStore(m, false);
      UNet net = UNet.create(UNetPresets.named("bench"), m, 1);
      for (int r = 0; r < 3; r++) {
        if (r == 2) {
          JniUtils.startProfile(false, false, false);
        }
        long t0 = System.nanoTime();
        try (NDManager s = m.newSubManager()) {
          NDArray x = s.randomNormal(new Shape(b, 1, 28, 28));
          NDArray t = s.full(new Shape(b), 500, DataType.INT64);
          NDArray lab = s.zeros(new Shape(b), DataType.INT64);
          net.predict(ps, x, t, lab, false).getFloat(0, 0, 0, 0);
        }
        System.out.printf("forward batch %d: %.1f ms%n", b, (System.nanoTime() - t0) / 1e6);
      }
      JniUtils.stopProfile(dir.resolve("profile-forward.json").toAbsolutePath().toString());

      UNet online = UNet.create(UNetPresets.named("bench"), m, 2);
      for (int r = 0; r < 3; r++) {
        if (r == 2) {
          JniUtils.startProfile(false, false, false);
        }
        long t0 = System.nanoTime();
        try (NDManager s = m.newSubManager()) {
          NDArray x = s.randomNormal(new Shape(64, 1, 28, 28));
          NDArray t = s.full(new Shape(64), 500, DataType.INT64);
          NDArray lab = s.zeros(new Shape(64), DataType.INT64);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray pred = online.predict(ps, x, t, lab, true);
            gc.backward(pred.square().mean());
          }
        }
        System.out.printf("train fwd+bwd batch 64: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
      }
      JniUtils.stopProfile(dir.resolve("profile-train.json").toAbsolutePath().toString());
    }
  }
}
