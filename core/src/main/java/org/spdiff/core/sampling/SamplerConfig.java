package org.spdiff.core.sampling;

import java.util.Locale;
import java.util.Objects;

/**
 * How to sample.
 *
 * @param sampler {@code ddim} or {@code ddpm}
 * @param steps number of network evaluations per image (times 2 with CFG, in one batched pass)
 * @param spacing where the steps sit among {@code 1..T}
 * @param eta DDIM stochasticity ({@code 0} deterministic; ignored by {@code ddpm})
 * @param cfgScale classifier-free guidance scale {@code w}, {@code 0} = off (see {@link
 *     GuidedDenoiser} for the convention)
 * @param guidanceRescale {@code phi in [0, 1]} (Lin et al. 2023, Sec. 3.4)
 * @param clipX0 clip {@code x0_hat} to {@code [-1, 1]} at every step
 */
public record SamplerConfig(
    String sampler,
    int steps,
    TimestepSpacing spacing,
    double eta,
    double cfgScale,
    double guidanceRescale,
    boolean clipX0) {

  public SamplerConfig {
    Objects.requireNonNull(sampler, "sampler");
    sampler = sampler.toLowerCase(Locale.ROOT);
    if (!sampler.equals("ddim") && !sampler.equals("ddpm")) {
      throw new IllegalArgumentException("sampler must be ddim or ddpm: '" + sampler + "'");
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
    return new SamplerConfig(sampler, steps, spacing, eta, scale, rescale, clipX0);
  }

  public SamplerConfig withSpacing(TimestepSpacing s) {
    return new SamplerConfig(sampler, steps, s, eta, cfgScale, guidanceRescale, clipX0);
  }

  public SamplerConfig withEta(double e) {
    return new SamplerConfig(sampler, steps, spacing, e, cfgScale, guidanceRescale, clipX0);
  }

  public SamplerConfig withClipX0(boolean c) {
    return new SamplerConfig(sampler, steps, spacing, eta, cfgScale, guidanceRescale, c);
  }
}
