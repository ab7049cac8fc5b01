package org.spdiff.pipelines.experiment;

import java.io.Serializable;
import java.util.List;

/**
 * A whole study: data, feature network, one MSE teacher, its variants (one of them the {@code
 * control}), generation and scoring. Built only by {@link ExperimentFiles}, which validates every
 * field; immutable and serializable so it travels to workers.
 */
public record ExperimentSpec(
    String name,
    DataSpec data,
    FeatureSpec features,
    TeacherSpec teacher,
    List<VariantSpec> variants,
    String control,
    GenerationSpec generation,
    ScoringSpec scoring,
    String store)
    implements Serializable {

  /** The same study with another store (the {@code --store} flag). */
  public ExperimentSpec withStore(String newStore) {
    return new ExperimentSpec(
        name, data, features, teacher, variants, control, generation, scoring, newStore);
  }

  /** The (first) control arm: every other variant is compared with a control arm, cell by cell. */
  public VariantSpec controlVariant() {
    return controlArms().get(0);
  }

  /**
   * The control arms: the variant named {@code control}, or, when {@code control} names a swept
   * variant (e.g. {@code mse} with {@code sweep: {steps: [400, 1600]}}), every arm of that sweep.
   */
  public List<VariantSpec> controlArms() {
    return variants.stream().filter(this::isControl).toList();
  }

  /** Whether {@code v} is a control arm. */
  public boolean isControl(VariantSpec v) {
    return isControlName(v.name(), control);
  }

  /** Whether a variant called {@code name} is an arm of the control {@code control}. */
  public static boolean isControlName(String name, String control) {
    return name.equals(control) || name.startsWith(control + "[");
  }

  /**
   * The control arm {@code v} is compared with: the only one, or the one trained for as many
   * stage-2 steps as {@code v} (the fair control of a stage-2 length).
   *
   * @throws IllegalArgumentException when several control arms exist and not exactly one has {@code
   *     v}'s steps
   */
  public VariantSpec controlFor(VariantSpec v) {
    List<VariantSpec> arms = controlArms();
    if (arms.size() == 1) {
      return arms.get(0);
    }
    List<VariantSpec> same = arms.stream().filter(a -> a.steps() == v.steps()).toList();
    if (same.size() != 1) {
      throw new IllegalArgumentException(
          "variant "
              + v.name()
              + " ("
              + v.steps()
              + " steps) needs exactly one control arm with as many steps; the control arms are "
              + arms.stream().map(a -> a.name() + " (" + a.steps() + " steps)").toList());
    }
    return same.get(0);
  }

  /** The variant called {@code name}. */
  public VariantSpec variant(String name) {
    return variants.stream()
        .filter(v -> v.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no variant named " + name));
  }

  /**
   * The raw data set to train on.
   *
   * @param source a Fashion-MNIST/MNIST IDX folder, an image folder or CIFAR-10 binary batches
   * @param format {@code auto}, {@code idx}, {@code images} or {@code cifar10}
   * @param resolution square side in pixels
   * @param channels 1 or 3
   * @param limit use only the first {@code limit} training images (0 = all)
   * @param conditional train class-conditional models (labels required) or unconditional ones
   */
  public record DataSpec(
      String source, String format, int resolution, int channels, int limit, boolean conditional)
      implements Serializable {}

  /**
   * The network whose features FID, IS and KID are computed on.
   *
   * @param network {@code domain} (a classifier trained on the prepared data) or {@code inception}
   * @param inceptionWeights pytorch-fid's Inception-v3 weights ({@code .pth} as published, or
   *     safetensors) for {@code inception}; empty: downloaded from pytorch-fid's release once, by
   *     the launcher, into the features key
   * @param classifierEpochs training epochs of the domain classifier
   * @param classifierSeed seed of the domain classifier
   * @param minAccuracy held-out accuracy below which the study stops (0 = no check)
   * @param batchSize images per feature batch
   * @param resize how images reach the Inception's 299 x 299: {@code legacy-pytorch} (default,
   *     pytorch-fid's bilinear) or {@code clean} (clean-fid's PIL bicubic); unused by {@code
   *     domain}
   */
  public record FeatureSpec(
      String network,
      String inceptionWeights,
      int classifierEpochs,
      long classifierSeed,
      double minAccuracy,
      int batchSize,
      String resize)
      implements Serializable {}

  /** A noise schedule by name ({@code linear}, {@code cosine}, {@code scaled-linear}). */
  public record ScheduleSpec(String name, int timesteps, boolean zeroTerminalSnr)
      implements Serializable {}

  /**
   * Stage 1: the MSE model, also the frozen perceptual network of every self-perceptual variant.
   *
   * @param parameterization {@code eps}, {@code v} or {@code x0}
   * @param condDropout probability of replacing the label by the null class (CFG training)
   * @param minSnrGamma min-SNR-gamma loss weighting (0 = off)
   * @param evalEvery every this many steps the teacher's EMA samples {@code evalSamples} images
   *     (DDIM {@code evalSteps}, trailing, CFG off, the teacher's seed) and scores FID and KID on
   *     the study's features; the curve is {@code eval.csv} of the teacher (0 = off; a multiple of
   *     {@code checkpointEvery} and of 10)
   * @param evalSamples images per in-training evaluation
   * @param evalSteps DDIM steps per in-training evaluation sample
   */
  public record TeacherSpec(
      String name,
      String model,
      ScheduleSpec schedule,
      String parameterization,
      int steps,
      int batchSize,
      double lr,
      int warmupSteps,
      double gradClip,
      double emaDecay,
      double condDropout,
      double minSnrGamma,
      long seed,
      int checkpointEvery,
      int evalEvery,
      int evalSamples,
      int evalSteps)
      implements Serializable {

    /** Whether the teacher is evaluated while it trains. */
    public boolean evaluates() {
      return evalEvery > 0;
    }

    /** The steps at which it is evaluated: every {@code evalEvery} and the last. */
    public java.util.List<Long> evalAt(long upTo) {
      java.util.List<Long> out = new java.util.ArrayList<>();
      if (evalEvery <= 0) {
        return out;
      }
      for (long s = evalEvery; s <= Math.min(upTo, steps); s += evalEvery) {
        out.add(s);
      }
      if (upTo >= steps && steps % evalEvery != 0) {
        out.add((long) steps);
      }
      return out;
    }
  }

  /**
   * Stage 2: one arm of the study, trained from the teacher's weights.
   *
   * @param objective {@code mse} (the fair control: the teacher continued with MSE) or {@code
   *     self-perceptual}
   * @param t sampler of the online timestep (spec string, e.g. {@code uniform})
   * @param tPrime sampler of the perceptual timestep ({@code uniform}, {@code range(a,b)}, {@code
   *     logit-normal(m,s)}, {@code fixed(k)}, {@code equal})
   * @param noisePairing {@code predicted} (paper), {@code shared-fresh} or {@code true}
   * @param layers {@code mid} (paper), {@code encoder} or {@code all}
   * @param distance {@code mse} (paper) or {@code l1}
   * @param lambda weight of the MSE term mixed into the self-perceptual loss (0 = paper)
   * @param seed training seed of replicate 0 (replicate {@code r} uses {@link
   *     org.spdiff.pipelines.dag.Replicates#seed(long, int)})
   * @param replicates how many times this arm is trained from the same teacher, each with its own
   *     derived seed (training-seed replicates; the study's {@code replicates} unless overridden)
   */
  public record VariantSpec(
      String name,
      String from,
      String objective,
      int steps,
      int batchSize,
      double lr,
      int warmupSteps,
      String t,
      String tPrime,
      String noisePairing,
      String layers,
      String distance,
      double lambda,
      long seed,
      int replicates)
      implements Serializable {

    public boolean selfPerceptual() {
      return objective.equals("self-perceptual");
    }
  }

  /**
   * Bulk sampling of every variant at every CFG scale.
   *
   * @param samples images per cell (variant x replicate x sampling setting x CFG scale)
   * @param settings the sampling settings every model is sampled with (sampler, steps, spacing,
   *     eta, precision, labels); more than one when {@code sampler}, {@code steps}, {@code
   *     spacing}, {@code eta}, {@code precision} or {@code labels} list several values (their
   *     product) or {@code settings} lists them
   * @param cfgScales classifier-free guidance scales, 0 = off
   * @param guidanceRescale phi of Lin et al. 2023, 0 = off
   * @param seed sample i of a cell draws its noise from (seed, i) only
   * @param shardSize images per generation work item (the unit of fan-out)
   * @param gridSize the sample grid shows the first gridSize x gridSize samples
   * @param ema sample from the EMA weights
   * @param clipX0 clip the predicted x0 to [-1, 1] at every step (pixel-space models)
   */
  public record GenerationSpec(
      int samples,
      List<SamplingSetting> settings,
      List<Double> cfgScales,
      double guidanceRescale,
      long seed,
      int batchSize,
      int shardSize,
      int gridSize,
      boolean ema,
      boolean clipX0)
      implements Serializable {}

  /**
   * One way of sampling a model: the solver, its number of steps, where the steps sit and (for
   * DDIM) its stochasticity.
   *
   * @param sampler a sampler name of {@code core.sampling}: {@code ddim}, {@code ddpm}, {@code
   *     dpm++2m}, {@code heun}
   * @param steps solver steps (network evaluations per image depend on the solver and on CFG)
   * @param spacing {@code leading}, {@code linspace}, {@code trailing}, {@code karras}
   * @param eta DDIM stochasticity (0 = deterministic)
   * @param precision the network's float type during generation: {@code fp32}, {@code bf16}, {@code
   *     fp16} (GPU only)
   * @param labels what a conditional model is given: {@code class} (sample i is of class {@code i
   *     mod classes}) or {@code none} (the null class of classifier-free guidance training for
   *     every sample: unconditional generation from the same model, as a text-to-image model is
   *     sampled with the empty prompt)
   */
  public record SamplingSetting(
      String sampler, int steps, String spacing, double eta, String precision, String labels)
      implements Serializable {

    /** The float32 default. */
    public static final String FP32 = "fp32";

    /** The default: each sample of a conditional model is given its class. */
    public static final String CLASS_LABELS = "class";

    /** Every sample is given the null class. */
    public static final String NO_LABELS = "none";

    /** Label suffix of a setting that samples with the null class. */
    public static final String UNCONDITIONAL_SUFFIX = "-uncond";

    /** A class-conditional setting (the default labels). */
    public SamplingSetting(
        String sampler, int steps, String spacing, double eta, String precision) {
      this(sampler, steps, spacing, eta, precision, CLASS_LABELS);
    }

    /** Whether every sample is given the null class. */
    public boolean unconditional() {
      return labels.equals(NO_LABELS);
    }

    /**
     * A short label such as {@code ddim-20}, with the spacing only when it is not trailing, {@code
     * -uncond} for the null class and the precision only when it is not fp32 ({@code
     * heun-8-karras-uncond-bf16}).
     */
    public String label() {
      return sampler
          + "-"
          + steps
          + (spacing.equals("trailing") ? "" : "-" + spacing)
          + (eta == 0 ? "" : "-eta" + eta)
          + (unconditional() ? UNCONDITIONAL_SUFFIX : "")
          + (precision.equals(FP32) ? "" : "-" + precision);
    }
  }

  /**
   * What is computed per cell.
   *
   * @param isSplits Inception Score splits
   * @param fidSplits disjoint splits for the FID uncertainty (mean and std over splits)
   * @param prdcK k of the k-NN radii of precision and recall (Kynkaanniemi et al. 2019)
   * @param dcK k of density and coverage (Naeem et al. 2020)
   * @param fidInfinity also report FID-infinity (Chong and Forsyth 2020)
   * @param perClass per-class FID and IS (conditional studies)
   * @param folds jackknife folds of the paired intervals (sample indices, the same in every cell)
   * @param seed seed of the reference subset of precision/recall/density/coverage and KID
   */
  public record ScoringSpec(
      boolean fid,
      boolean is,
      boolean kid,
      int isSplits,
      int fidSplits,
      int kidSubsets,
      int kidSubsetSize,
      int prdcK,
      int dcK,
      boolean fidInfinity,
      boolean perClass,
      int folds,
      long seed)
      implements Serializable {}
}
