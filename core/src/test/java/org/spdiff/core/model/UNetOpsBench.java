package org.spdiff.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spdiff.core.engine.GradMode;

/**
 * Where a {@code bench} UNet inference forward spends its time, op by op, at the sampling batch
 * ({@code -Dbench.ddimBatch}, 256): GroupNorm, SiLU, the convolutions of each level, a residual
 * block, attention at 7x7, and the whole forward at several batch sizes (ms per image). Grad mode
 * off, as in sampling. {@code infra/bench/peer/ops_peer.py} times the same ops under PyTorch.
 * Prints medians of 5 after 2 warm-up calls; no assertion on time.
 *
 * <p>Run: {@code mvn -pl core test -Dsurefire.groups=bench -Dsurefire.excludedGroups=
 * -Dtest=UNetOpsBench -Ddjl.threads=2}.
 */
@Tag("bench")
class UNetOpsBench {
  private static final int REPS = 5;

  private static <B extends ModelBlock> B init(B block, NDManager m) {
    ModelBlock.assignInitializers(block, 1);
    block.initialize(m, DataType.FLOAT32);
    return block;
  }

  /** Median ms of {@code op} on fresh per-call managers (arrays freed after each call). */
  private static double time(NDManager m, NDArray in, Function<NDArray, NDArray> op) {
    double[] ms = new double[REPS];
    for (int r = -2; r < REPS; r++) {
      try (NDManager s = m.newSubManager()) {
        NDArray x = in.duplicate();
        x.attach(s);
        long t0 = System.nanoTime();
        op.apply(x);
        long t1 = System.nanoTime();
        if (r >= 0) {
          ms[r] = (t1 - t0) / 1e6;
        }
      }
    }
    Arrays.sort(ms);
    return ms[REPS / 2];
  }

  @Test
  void ops() {
    GradMode.offOnThisThread();
    int b = Integer.getInteger("bench.ddimBatch", 256);
    List<String> out = new ArrayList<>();
    out.add("threads " + System.getProperty("ai.djl.pytorch.num_threads") + ", batch " + b);
    try (NDManager m = NDManager.newBaseManager()) {
      ParameterStore ps = new ParameterStore(m, false);
      NDArray l0 = m.randomNormal(new Shape(b, 32, 28, 28));
      NDArray l0in = m.randomNormal(new Shape(b, 1, 28, 28));
      NDArray l0cat = m.randomNormal(new Shape(b, 64, 28, 28));
      NDArray l1 = m.randomNormal(new Shape(b, 64, 14, 14));
      NDArray l2 = m.randomNormal(new Shape(b, 64, 7, 7));
      NDArray emb = m.randomNormal(new Shape(b, 128));
      GroupNorm gn32 = init(new GroupNorm(8, 32), m);
      ConvLayer c32 = init(ConvLayer.conv3x3(32, 32, false), m);
      ConvLayer cIn = init(ConvLayer.conv3x3(1, 32, false), m);
      ConvLayer cOut = init(new ConvLayer(32, 1, 3, 1, false), m);
      ConvLayer c64 = init(ConvLayer.conv3x3(64, 64, false), m);
      ResBlock r32 = init(new ResBlock(32, 32, 128, 8, 0f), m);
      ResBlock rUp = init(new ResBlock(64, 32, 128, 8, 0f), m);
      SelfAttention attn = init(new SelfAttention(64, 1, 8), m);
      row(out, "GroupNorm [B,32,28,28]", time(m, l0, x -> gn32.forward(ps, x, false)));
      row(out, "SiLU [B,32,28,28]", time(m, l0, ModelBlock::silu));
      row(out, "add [B,32,28,28]", time(m, l0, x -> x.add(x)));
      row(out, "conv3x3 32->32 @28", time(m, l0, x -> c32.forward(ps, x, false)));
      row(
          out,
          "conv_in 1->32 @28 (padded to 16 in)",
          time(m, l0in, x -> cIn.forward(ps, x, false)));
      row(
          out,
          "conv_out 32->1 @28 (padded to 16 out)",
          time(m, l0, x -> cOut.forward(ps, x, false)));
      row(out, "conv3x3 64->64 @14", time(m, l1, x -> c64.forward(ps, x, false)));
      row(out, "conv3x3 64->64 @7", time(m, l2, x -> c64.forward(ps, x, false)));
      row(out, "ResBlock 32->32 @28", time(m, l0, x -> r32.forward(ps, x, emb, false)));
      row(
          out,
          "ResBlock 64->32 @28 (decoder)",
          time(m, l0cat, x -> rUp.forward(ps, x, emb, false)));
      row(out, "attention 64ch @7", time(m, l2, x -> attn.forward(ps, x, false)));
      UNet net = UNet.create(UNetPresets.named("bench"), m, 1);
      for (int n : new int[] {2 * b, b, b / 2, b / 4}) {
        NDArray x = m.randomNormal(new Shape(n, 1, 28, 28));
        NDArray t = m.full(new Shape(n), 500, DataType.INT64);
        NDArray lab = m.zeros(new Shape(n), DataType.INT64);
        double ms = time(m, x, xx -> net.predict(ps, xx, t, lab, false));
        out.add(
            String.format(
                Locale.ROOT, "UNet forward batch %d: %.1f ms (%.3f ms/image)", n, ms, ms / n));
      }
    }
    System.out.println(String.join("\n", out));
  }

  /**
   * The inference path (grad mode off: in place, early frees) against the graph-keeping path (grad
   * mode on, frozen weights: what every forward did before it), alternating in one JVM, at the
   * sampling batch and at twice it (CFG as one pass over the doubled batch).
   */
  @Test
  void inferencePathAgainstGraphKeeping() {
    GradMode.offOnThisThread();
    int b = Integer.getInteger("bench.ddimBatch", 256);
    int reps = Integer.getInteger("bench.reps", 3);
    try (NDManager m = NDManager.newBaseManager()) {
      ParameterStore ps = new ParameterStore(m, false);
      UNet net = UNet.create(UNetPresets.named("bench"), m, 1);
      net.freezeParameters(true);
      for (int n : new int[] {b, 2 * b}) {
        List<Double> fast = new ArrayList<>();
        List<Double> kept = new ArrayList<>();
        for (int r = -1; r < reps; r++) {
          for (boolean graph : new boolean[] {false, true}) {
            try (NDManager s = m.newSubManager()) {
              NDArray x = s.randomNormal(new Shape(n, 1, 28, 28));
              NDArray t = s.full(new Shape(n), 500, DataType.INT64);
              NDArray lab = s.zeros(new Shape(n), DataType.INT64);
              ai.djl.pytorch.jni.JniUtils.setGradMode(graph);
              long t0 = System.nanoTime();
              net.predict(ps, x, t, lab, false).getFloat(0, 0, 0, 0);
              double ms = (System.nanoTime() - t0) / 1e6;
              ai.djl.pytorch.jni.JniUtils.setGradMode(false);
              if (r >= 0) {
                (graph ? kept : fast).add(ms);
              }
            }
          }
        }
        System.out.printf(
            Locale.ROOT,
            "forward batch %d: inference path %s ms, graph-keeping path %s ms%n",
            n,
            fast,
            kept);
      }
    }
  }

  private static void row(List<String> out, String what, double ms) {
    out.add(String.format(Locale.ROOT, "%-40s %8.2f ms", what, ms));
  }
}
