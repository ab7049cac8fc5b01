package org.spdiff.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spdiff.core.diffusion.GaussianDiffusion;
import org.spdiff.core.diffusion.Parameterization;
import org.spdiff.core.engine.GradMode;
import org.spdiff.core.model.DiffusionNet;
import org.spdiff.core.model.UNet;
import org.spdiff.core.model.UNetPresets;
import org.spdiff.core.schedule.NoiseSchedules;

/**
 * Generation throughput of the {@code bench} UNet per sampler and precision: images/s at one batch,
 * the precisions run alternately (fp32, bf16, fp32, bf16, ...) so that a shared machine's load
 * falls on both alike. No training: the forward pass costs the same for any weights, so the net is
 * the seeded initialisation (v-prediction, zero-terminal-SNR linear schedule of the demo). Prints
 * medians; no assertion on time. {@code fp16} runs here on the CPU too (through the package-private
 * factory that {@code generation.precision} does not offer on a CPU), to measure what half
 * precision would give; {@code bf16} runs the TorchScript forward pass ({@link
 * org.spdiff.core.model.ScriptedUNet}).
 *
 * <p>Run: {@code mvn -pl core test -Dsurefire.groups=bench -Dsurefire.excludedGroups=
 * -Dtest=SamplingBench}. Options: {@code -Dbench.sampler=ddim} ({@code ddim}, {@code dpm++2m},
 * {@code heun}), {@code -Dbench.sampleSteps=20}, {@code -Dbench.sampleBatch=128}, {@code
 * -Dbench.precisions=fp32,fp16,bf16}, {@code -Dbench.repeats=3}, {@code -Dbench.cfg=0}. Figures go
 * to stdout and {@code core/target/bench/sampling-bench.txt}.
 */
@Tag("bench")
class SamplingBench {

  private static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(d -> d).toArray();
    Arrays.sort(a);
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  @Test
  void figures() throws IOException {
    String sampler = System.getProperty("bench.sampler", "ddim");
    int steps = Integer.getInteger("bench.sampleSteps", 20);
    int batch = Integer.getInteger("bench.sampleBatch", 128);
    int repeats = Integer.getInteger("bench.repeats", 3);
    double cfg = Double.parseDouble(System.getProperty("bench.cfg", "0"));
    List<GenerationPrecision> precisions =
        Arrays.stream(System.getProperty("bench.precisions", "fp32,fp16,bf16").split(","))
            .map(GenerationPrecision::parse)
            .toList();
    GaussianDiffusion diffusion = new GaussianDiffusion(NoiseSchedules.named("linear", 1000, true));
    SamplerConfig base = SamplerConfig.ddim(steps).withSampler(sampler, steps).withCfg(cfg, 0);
    List<String> out = new ArrayList<>();
    try (NDManager m = NDManager.newBaseManager()) {
      GradMode.offOnThisThread();
      UNet net = UNet.create(UNetPresets.named("bench"), m, 0);
      net.freezeParameters(true);
      Shape img = new Shape(1, 28, 28);
      long[] ids = new long[batch];
      int[] labels = new int[batch];
      for (int i = 0; i < batch; i++) {
        ids[i] = i;
        labels[i] = i % 10;
      }
      Map<GenerationPrecision, DiffusionNet> nets = new LinkedHashMap<>();
      Map<GenerationPrecision, List<Double>> ips = new LinkedHashMap<>();
      for (GenerationPrecision p : precisions) {
        nets.put(
            p, p == GenerationPrecision.FP32 ? net : ReducedPrecisionNet.onAnyDevice(net, p, m));
        ips.put(p, new ArrayList<>());
        // warm-up: two steps
        try (NDManager w = m.newSubManager()) {
          Samplers.generate(
              nets.get(p),
              diffusion,
              Parameterization.V,
              base.withSampler(sampler, 2).withPrecision(p),
              img,
              0,
              ids,
              labels,
              w);
        }
      }
      for (int r = 0; r < repeats; r++) {
        for (GenerationPrecision p : precisions) {
          try (NDManager w = m.newSubManager()) {
            long t0 = System.nanoTime();
            NDArray x =
                Samplers.generate(
                    nets.get(p),
                    diffusion,
                    Parameterization.V,
                    base.withPrecision(p),
                    img,
                    1,
                    ids,
                    labels,
                    w);
            x.toFloatArray();
            ips.get(p).add(batch / ((System.nanoTime() - t0) / 1e9));
          }
        }
      }
      int nfe = Samplers.evaluations(base, diffusion.schedule());
      out.add(
          String.format(
              Locale.ROOT,
              "bench UNet, %s-%d (NFE %d), batch %d, CFG %s, threads %s, %d repeats alternating",
              sampler,
              steps,
              nfe,
              batch,
              cfg == 0 ? "off" : "w=" + cfg,
              System.getProperty("ai.djl.pytorch.num_threads", "default"),
              repeats));
      double ref = Double.NaN;
      for (GenerationPrecision p : precisions) {
        double med = median(ips.get(p));
        if (p == GenerationPrecision.FP32) {
          ref = med;
        }
        out.add(
            String.format(
                Locale.ROOT,
                "%s: median %.2f images/s %s%s",
                p.spec(),
                med,
                ips.get(p).stream().map(d -> String.format(Locale.ROOT, "%.2f", d)).toList(),
                Double.isFinite(ref) && p != GenerationPrecision.FP32
                    ? String.format(Locale.ROOT, " (%.2fx fp32)", med / ref)
                    : ""));
      }
    }
    String text = String.join("\n", out);
    System.out.println(text);
    Path report = Path.of("target", "bench", "sampling-bench.txt");
    Files.createDirectories(report.getParent());
    Files.writeString(report, text + "\n");
  }
}
