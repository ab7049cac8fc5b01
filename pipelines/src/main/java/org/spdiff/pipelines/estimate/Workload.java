package org.spdiff.pipelines.estimate;

import java.util.Locale;
import org.spdiff.core.model.UNetConfig;

/**
 * One kind of work whose rate the calibration measures, named by a stable {@link #key()} (the cache
 * entry). Rates are seconds per unit: per training step, per image and sampler step, per image
 * featurized, per image and classifier epoch.
 */
public sealed interface Workload {

  /** The cache key, e.g. {@code train|bench|28x28x1|c10|b64|mse}. */
  String key();

  /** What one unit is, for the notes. */
  String unit();

  /**
   * Training steps of a UNet preset at a batch size.
   *
   * @param layers for a self-perceptual step, the perceptual features ({@code mid}, {@code
   *     encoder}, {@code all}); empty for MSE
   */
  record Train(String model, UNetConfig unet, int batch, boolean selfPerceptual, String layers)
      implements Workload {
    @Override
    public String key() {
      return "train|"
          + model
          + "|"
          + shape(unet)
          + "|b"
          + batch
          + "|"
          + (selfPerceptual ? "sp-" + layers : "mse");
    }

    @Override
    public String unit() {
      return "s/step";
    }
  }

  /**
   * Sampler steps of a UNet preset at a batch size, with or without classifier-free guidance, with
   * the network's forward pass in {@code precision} ({@code fp32}, {@code bf16}, {@code fp16}).
   */
  record Sample(String model, UNetConfig unet, int batch, boolean cfg, String precision)
      implements Workload {
    /** float32 sampling. */
    Sample(String model, UNetConfig unet, int batch, boolean cfg) {
      this(model, unet, batch, cfg, "fp32");
    }

    @Override
    public String key() {
      // float32 keys carry no suffix: the calibrations cached before precisions were told apart
      return "sample|"
          + model
          + "|"
          + shape(unet)
          + "|b"
          + batch
          + "|"
          + (cfg ? "cfg" : "nocfg")
          + (precision.equals("fp32") ? "" : "|" + precision);
    }

    @Override
    public String unit() {
      return "s/(image*step)";
    }
  }

  /** Images through the study's feature network. */
  record Features(String network, String resize, int resolution, int channels, int batch)
      implements Workload {
    @Override
    public String key() {
      return "features|"
          + network
          + (network.equals("inception") ? "-" + resize : "")
          + "|"
          + resolution
          + "x"
          + resolution
          + "x"
          + channels
          + "|b"
          + batch;
    }

    @Override
    public String unit() {
      return "s/image";
    }
  }

  /** Training the domain classifier (the feature network of studies without Inception weights). */
  record Classifier(int resolution, int channels) implements Workload {
    @Override
    public String key() {
      return "classifier|" + resolution + "x" + resolution + "x" + channels;
    }

    @Override
    public String unit() {
      return "s/(image*epoch)";
    }
  }

  /** {@code HxWxC|c<classes>} (classes 0: unconditional). */
  static String shape(UNetConfig u) {
    return String.format(
        Locale.ROOT, "%dx%dx%d|c%d", u.imageSize(), u.imageSize(), u.inChannels(), u.numClasses());
  }
}
