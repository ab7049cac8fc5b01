package org.spdiff.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.spdiff.core.checkpoint.Checkpoint;
import org.spdiff.core.diffusion.GaussianDiffusion;
import org.spdiff.core.model.DiffusionNet;
import org.spdiff.core.model.UNet;
import org.spdiff.core.model.UNetConfig;
import org.spdiff.core.schedule.NoiseSchedules;
import org.spdiff.core.train.Nets;
import org.spdiff.core.train.TrainConfig;

/**
 * Generates images from a UNet checkpoint: the network, schedule and parameterization all come from
 * the checkpoint's manifest. Holds the network's native memory: close it.
 */
public final class CheckpointSampler implements AutoCloseable {
  private final NDManager manager;
  private final UNet net;
  private final GaussianDiffusion diffusion;
  private final TrainConfig trainConfig;
  private final Shape imageShape;
  private final java.util.Map<GenerationPrecision, ReducedPrecisionNet> reduced =
      new java.util.EnumMap<>(GenerationPrecision.class);

  private CheckpointSampler(Checkpoint ck, boolean ema) {
    this.manager = NDManager.newBaseManager();
    try {
      this.trainConfig = Nets.trainConfig(ck);
      this.net = Nets.load(ck, ema, manager);
      UNetConfig c = net.config();
      this.imageShape = new Shape(c.inChannels(), c.imageSize(), c.imageSize());
      this.diffusion =
          new GaussianDiffusion(
              NoiseSchedules.named(
                  trainConfig.schedule(), trainConfig.T(), trainConfig.zeroTerminalSnr()));
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * @param ema sample with the EMA weights (the usual choice) or the raw weights
   */
  public static CheckpointSampler open(Checkpoint ck, boolean ema) {
    return new CheckpointSampler(ck, ema);
  }

  public UNet net() {
    return net;
  }

  /** {@code (C, H, W)} of the generated images. */
  public Shape imageShape() {
    return imageShape;
  }

  /**
   * Images {@code ids[j]} of stream {@code seed} (see {@link Samplers#generate}).
   *
   * @param labels class per sample ({@code numClasses} = unconditional), or null for an
   *     unconditional net
   * @return float32 {@code [N, C, H, W]} in {@code [-1, 1]}, owned by {@code out}
   */
  public NDArray generate(
      SamplerConfig config, long seed, long[] ids, int[] labels, NDManager out) {
    return Samplers.generate(
        netAt(config.precision()),
        diffusion,
        trainConfig.parameterization(),
        config,
        imageShape,
        seed,
        ids,
        labels,
        out);
  }

  /** The float32 net, or its reduced-precision copy (made once per precision). */
  private DiffusionNet netAt(GenerationPrecision precision) {
    if (precision == GenerationPrecision.FP32) {
      return net;
    }
    return reduced.computeIfAbsent(precision, p -> ReducedPrecisionNet.of(net, p, manager));
  }

  /** Network evaluations per image of {@code config} (see {@link Samplers#evaluations}). */
  public int evaluations(SamplerConfig config) {
    return Samplers.evaluations(config, diffusion.schedule());
  }

  /** As {@link #generate}, converted to uint8 CHW bytes per image. */
  public byte[][] generateUint8(SamplerConfig config, long seed, long[] ids, int[] labels) {
    try (NDManager m = manager.newSubManager()) {
      return Images.toUint8(generate(config, seed, ids, labels, m));
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
