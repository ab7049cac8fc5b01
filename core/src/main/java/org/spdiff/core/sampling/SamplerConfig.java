package org.spdiff.core.sampling;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How to sample.
 *
 * @param sampler {@code ddim}, {@code ddpm}, {@code dpm++2m} ({@link DpmSolverPlusPlus2M}) or
 *     {@code heun} ({@link HeunSampler})
 * @param steps solver steps: one denoiser evaluation each, except Heun's (see {@link
 *     Samplers#evaluations}); a guided denoiser runs the network twice per evaluation
 * @param spacing where the steps sit among {@code 1..T}
 * @param eta DDIM stochasticity ({@code 0} deterministic; ignored by {@code ddpm})
 * @param cfgScale classifier-free guidance scale {@code w}, {@code 0} = off (see {@link
 *     GuidedDenoiser} for the convention)
 * @param guidanceRescale {@code phi in [0, 1]} (Lin et al. 2023, Sec. 3.4)
 * @param clipX0 clip {@code x0_hat} to {@code [-1, 1]} at every step
 * @param precision the float type of the network's forward pass (the solver stays float32)
 */
public record SamplerConfig(
    String sampler,
    int steps,
    TimestepSpacing spacing,
    double eta,
    double cfgScale,
    double guidanceRescale,
    boolean clipX0,
    GenerationPrecision precision) {

  /** The sampler names, in the order of the docs. */
  public static final List<String> SAMPLERS =
      List.of("ddim", "ddpm", DpmSolverPlusPlus2M.NAME, HeunSampler.NAME);

  public SamplerConfig {
    Objects.requireNonNull(sampler, "sampler");
    Objects.requireNonNull(precision, "precision");
    sampler = sampler.toLowerCase(Locale.ROOT);
    if (!SAMPLERS.contains(sampler)) {
      throw new IllegalArgumentException(
          "sampler must be one of " + SAMPLERS + ": '" + sampler + "'");
    }
    Objects.requireNonNull(spacing, "spacing");
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1: " + steps);
    }
    if (!(eta >= 0)) {
      throw new IllegalArgumentException("eta must be >= 0: " + eta);
    }
    if (!(cfgScale >= 0) || !Double.isFinite(cfgScale)) {
      throw new IllegalArgumentException("cfgScale must be >= 0 (0 = off): " + cfgScale);
    }
    if (!(guidanceRescale >= 0 && guidanceRescale <= 1)) {
      throw new IllegalArgumentException("guidanceRescale must be in [0, 1]: " + guidanceRescale);
    }
  }

  /** A float32 config. */
  public SamplerConfig(
      String sampler,
      int steps,
      TimestepSpacing spacing,
      double eta,
      double cfgScale,
      double guidanceRescale,
      boolean clipX0) {
    this(sampler, steps, spacing, eta, cfgScale, guidanceRescale, clipX0, GenerationPrecision.FP32);
  }

  /**
   * x0 clipping is on by default: every model trained here is in pixel space, where {@code x0} lies
   * in {@code [-1, 1]}. The experiment file uses the same default; a latent model (the paper's
   * Stable Diffusion sampler) sets it off.
   */
  public static final boolean DEFAULT_CLIP_X0 = true;

  /**
   * DDIM, {@code eta = 0}, trailing spacing (the paper's sampler), no guidance, default clipping.
   */
  public static SamplerConfig ddim(int steps) {
    return new SamplerConfig(
        "ddim", steps, TimestepSpacing.TRAILING, 0.0, 0.0, 0.0, DEFAULT_CLIP_X0);
  }

  public SamplerConfig withCfg(double scale, double rescale) {
    return new SamplerConfig(sampler, steps, spacing, eta, scale, rescale, clipX0, precision);
  }

  public SamplerConfig withSpacing(TimestepSpacing s) {
    return new SamplerConfig(sampler, steps, s, eta, cfgScale, guidanceRescale, clipX0, precision);
  }

  public SamplerConfig withEta(double e) {
    return new SamplerConfig(
        sampler, steps, spacing, e, cfgScale, guidanceRescale, clipX0, precision);
  }

  public SamplerConfig withClipX0(boolean c) {
    return new SamplerConfig(sampler, steps, spacing, eta, cfgScale, guidanceRescale, c, precision);
  }

  /** The same config with another sampler and step count. */
  public SamplerConfig withSampler(String name, int n) {
    return new SamplerConfig(name, n, spacing, eta, cfgScale, guidanceRescale, clipX0, precision);
  }

  public SamplerConfig withPrecision(GenerationPrecision p) {
    return new SamplerConfig(sampler, steps, spacing, eta, cfgScale, guidanceRescale, clipX0, p);
  }
}
