package org.spdiff.pipelines.stages;

import org.spdiff.core.diffusion.Parameterization;
import org.spdiff.core.loss.Distance;
import org.spdiff.core.loss.NoisePairing;
import org.spdiff.core.loss.SelfPerceptualConfig;
import org.spdiff.core.model.FeatureLayers;
import org.spdiff.core.model.UNetConfig;
import org.spdiff.core.model.UNetPresets;
import org.spdiff.core.sampling.GenerationPrecision;
import org.spdiff.core.sampling.SamplerConfig;
import org.spdiff.core.sampling.TimestepSpacing;
import org.spdiff.core.train.TrainConfig;
import org.spdiff.pipelines.experiment.ExperimentSpec;
import org.spdiff.pipelines.experiment.ExperimentSpec.TeacherSpec;
import org.spdiff.pipelines.experiment.ExperimentSpec.VariantSpec;

/** Translates experiment specs into the core library's configs. */
public final class StageConfigs {
  private StageConfigs() {}

  /** The UNet of the study: the teacher's preset at the data's channels, size and classes. */
  public static UNetConfig unet(ExperimentSpec spec, int numClasses) {
    return UNetPresets.named(spec.teacher().model())
        .withChannels(spec.data().channels(), spec.data().channels())
        .withImageSize(spec.data().resolution())
        .withNumClasses(spec.data().conditional() ? numClasses : 0);
  }

  /** Stage 1: plain MSE with uniform t. */
  public static TrainConfig teacher(ExperimentSpec spec) {
    TeacherSpec t = spec.teacher();
    return common(t)
        .mse("uniform", t.minSnrGamma())
        .steps(t.steps())
        .batchSize(t.batchSize())
        .lr(t.lr())
        .warmupSteps(t.warmupSteps())
        .seed(t.seed())
        .checkpointEvery(t.checkpointEvery())
        .build();
  }

  /** Stage 2: the variant's objective, started from the teacher, with a replicate's seed. */
  public static TrainConfig variant(ExperimentSpec spec, VariantSpec v, long seed) {
    TeacherSpec t = spec.teacher();
    TrainConfig.Builder b = common(t);
    if (v.selfPerceptual()) {
      b.selfPerceptual(
          new SelfPerceptualConfig(
              v.t(),
              v.tPrime(),
              NoisePairing.parse(v.noisePairing()),
              FeatureLayers.valueOf(v.layers().toUpperCase(java.util.Locale.ROOT)),
              Distance.parse(v.distance()),
              v.lambda()));
    } else {
      b.mse(v.t(), t.minSnrGamma());
    }
    return b.steps(v.steps())
        .batchSize(v.batchSize())
        .lr(v.lr())
        .warmupSteps(v.warmupSteps())
        .seed(seed)
        .checkpointEvery(Math.max(1, Math.min(v.steps(), t.checkpointEvery())))
        .build();
  }

  private static TrainConfig.Builder common(TeacherSpec t) {
    return TrainConfig.builder()
        .schedule(t.schedule().name(), t.schedule().timesteps(), t.schedule().zeroTerminalSnr())
        .parameterization(Parameterization.parse(t.parameterization()))
        .gradClip(t.gradClip())
        .ema(t.emaDecay(), true)
        .condDropout(t.condDropout())
        .logEvery(10);
  }

  /** The sampler of one cell: a sampling setting at a CFG scale. */
  public static SamplerConfig sampler(
      ExperimentSpec.GenerationSpec g, ExperimentSpec.SamplingSetting s, double cfgScale) {
    return new SamplerConfig(
        s.sampler(),
        s.steps(),
        TimestepSpacing.parse(s.spacing()),
        s.eta(),
        cfgScale,
        g.guidanceRescale(),
        g.clipX0(),
        GenerationPrecision.parse(s.precision()));
  }
}
