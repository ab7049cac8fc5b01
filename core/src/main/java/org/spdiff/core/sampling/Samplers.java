package org.spdiff.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.spdiff.core.diffusion.GaussianDiffusion;
import org.spdiff.core.diffusion.Parameterization;
import org.spdiff.core.model.DiffusionNet;
import org.spdiff.core.noise.SeededNoise;

/** Named samplers and the batched, seed-addressed image generator. */
public final class Samplers {
  private Samplers() {}

  /** The sampler a config names. */
  public static Sampler named(SamplerConfig config) {
    return switch (config.sampler()) {
      case "ddim" -> DdimSampler.withEta(config.eta());
      case "ddpm" -> DdpmSampler.ancestral();
      default -> throw new IllegalArgumentException("unknown sampler " + config.sampler());
    };
  }

  /**
   * Generates images {@code sampleIds[j]} of the stream {@code seed}: the initial noise of sample
   * {@code i} is keyed by {@code (seed, i)} and its step-{@code k} noise by {@code (seed, i, k)},
   * so an image does not depend on the batch it was generated in.
   *
   * @param net the network (the EMA weights, typically), in inference mode
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
      Denoiser d =
          new GuidedDenoiser(
              net,
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
      long[] ts = config.spacing().timesteps(diffusion.T(), config.steps());
      NDArray x0 = named(config).sample(d, diffusion, ts, xT, noise).clip(-1f, 1f);
      x0.attach(manager);
      return x0;
    }
  }
}
