package org.spdiff.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.spdiff.core.diffusion.GaussianDiffusion;
import org.spdiff.core.diffusion.Parameterization;
import org.spdiff.core.model.DiffusionNet;
import org.spdiff.core.model.UNet;
import org.spdiff.core.noise.SeededNoise;
import org.spdiff.core.schedule.NoiseSchedule;

/** Named samplers and the batched, seed-addressed image generator. */
public final class Samplers {
  private Samplers() {}

  /** The sampler a config names. */
  public static Sampler named(SamplerConfig config) {
    return switch (config.sampler()) {
      case "ddim" -> DdimSampler.withEta(config.eta());
      case "ddpm" -> DdpmSampler.ancestral();
      case DpmSolverPlusPlus2M.NAME -> new DpmSolverPlusPlus2M();
      case HeunSampler.NAME -> new HeunSampler();
      default -> throw new IllegalArgumentException("unknown sampler " + config.sampler());
    };
  }

  /**
   * Network evaluations per image of {@code config} on {@code schedule}: the solver's denoiser
   * evaluations (NFE), times 2 with classifier-free guidance (cond and uncond passes).
   */
  public static int evaluations(SamplerConfig config, NoiseSchedule schedule) {
    int nfe =
        named(config).evaluations(schedule, config.spacing().timesteps(schedule, config.steps()));
    return config.cfgScale() > 0 ? 2 * nfe : nfe;
  }

  /**
   * Generates images {@code sampleIds[j]} of the stream {@code seed}: the initial noise of sample
   * {@code i} is keyed by {@code (seed, i)} and its step-{@code k} noise by {@code (seed, i, k)},
   * so an image does not depend on the batch it was generated in.
   *
   * @param net the network (the EMA weights, typically), in inference mode; for a reduced {@link
   *     SamplerConfig#precision} a float32 {@link UNet} is copied into that precision for this call
   *     (callers that generate many batches pass a {@link ReducedPrecisionNet} made once)
   * @param imageShape {@code (C, H, W)}
   * @param labels class id per sample (use {@code net.numClasses()} for unconditional samples from
   *     a conditional net), or null for an unconditional net
   * @return float32 {@code [N, C, H, W]} in {@code [-1, 1]} (clamped), owned by {@code manager}
   */
  public static NDArray generate(
      DiffusionNet net,
      GaussianDiffusion diffusion,
      Parameterization parameterization,
      SamplerConfig config,
      Shape imageShape,
      long seed,
      long[] sampleIds,
      int[] labels,
      NDManager manager) {
    org.spdiff.core.engine.GradMode.offOnThisThread();
    if (labels != null && labels.length != sampleIds.length) {
      throw new IllegalArgumentException(
          "labels (" + labels.length + ") and sampleIds (" + sampleIds.length + ") differ");
    }
    try (NDManager m = manager.newSubManager()) {
      ParameterStore ps = new ParameterStore(m, false);
      NDArray lab = null;
      if (labels != null) {
        long[] l = new long[labels.length];
        for (int i = 0; i < l.length; i++) {
          l[i] = labels[i];
        }
        lab = m.create(l);
      }
      DiffusionNet forward = atPrecision(net, config.precision(), m);
      Denoiser d =
          new GuidedDenoiser(
              forward,
              ps,
              diffusion,
              parameterization,
              lab,
              config.cfgScale(),
              config.guidanceRescale(),
              config.clipX0());
      NDArray xT =
          SeededNoise.perSample(m, imageShape, seed, SeededNoise.STREAM_SAMPLE_INIT, sampleIds);
      StepNoise noise =
          k ->
              SeededNoise.perSample(
                  xT.getManager(), imageShape, seed, SeededNoise.STREAM_SAMPLE_STEP, sampleIds, k);
      long[] ts = config.spacing().timesteps(diffusion.schedule(), config.steps());
      NDArray x0 = named(config).sample(d, diffusion, ts, xT, noise).clip(-1f, 1f);
      x0.attach(manager);
      return x0;
    }
  }

  /** {@code net} as it runs at {@code precision} (see {@link #generate}). */
  static DiffusionNet atPrecision(DiffusionNet net, GenerationPrecision precision, NDManager m) {
    if (precision == GenerationPrecision.FP32) {
      if (net instanceof ReducedPrecisionNet r) {
        throw new IllegalArgumentException("precision fp32 given a " + r.precision() + " net");
      }
      return net;
    }
    if (net instanceof ReducedPrecisionNet r) {
      if (r.precision() != precision) {
        throw new IllegalArgumentException(
            "precision " + precision.spec() + " given a " + r.precision().spec() + " net");
      }
      return net;
    }
    if (net instanceof UNet u) {
      return ReducedPrecisionNet.of(u, precision, m);
    }
    throw new IllegalArgumentException(
        "precision " + precision.spec() + " needs a UNet or a ReducedPrecisionNet");
  }
}
