package org.spdiff.core.train;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Locale;
import java.util.Objects;
import org.spdiff.core.diffusion.Parameterization;
import org.spdiff.core.loss.SelfPerceptualConfig;
import org.spdiff.core.schedule.NoiseSchedules;
import org.spdiff.core.timestep.TimestepSamplers;

/**
 * Everything a training stage needs besides data and network; validated on construction (messages
 * name the field). Serialises to/from JSON with Jackson. Build with {@link #builder()}.
 *
 * @param schedule {@code linear}, {@code cosine} or {@code scaled-linear}
 * @param T number of diffusion steps
 * @param zeroTerminalSnr rescale the schedule (Lin et al. 2023, Algorithm 1)
 * @param parameterization eps, v or x0 (eps is rejected with zero terminal SNR)
 * @param objective {@code mse} or {@code self-perceptual}
 * @param tSampler online {@code t} sampler spec for {@code mse} (self-perceptual uses its own)
 * @param minSnrGamma min-SNR weighting of the MSE, {@code 0} = none
 * @param selfPerceptual required iff {@code objective = self-perceptual}
 * @param steps total optimizer steps of the stage
 * @param batchSize images per step
 * @param lr peak learning rate
 * @param beta1 AdamW beta1
 * @param beta2 AdamW beta2
 * @param adamEps AdamW epsilon
 * @param weightDecay decoupled weight decay (applied to every parameter)
 * @param warmupSteps linear warmup length, {@code lr_s = lr min(1, (s + 1) / warmupSteps)}
 * @param gradClip global L2-norm clip, {@code 0} = off
 * @param emaDecay EMA decay
 * @param emaWarmup use {@code min(emaDecay, (1 + k) / (10 + k))} after {@code k} updates
 * @param condDropout probability of replacing a label by the null class
 * @param seed the run's seed: every draw is keyed by (seed, step)
 * @param checkpointEvery steps between checkpoints, {@code 0} = only at the end
 * @param logEvery steps between progress callbacks
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainConfig(
    String schedule,
    int T,
    boolean zeroTerminalSnr,
    Parameterization parameterization,
    String objective,
    String tSampler,
    double minSnrGamma,
    SelfPerceptualConfig selfPerceptual,
    int steps,
    int batchSize,
    double lr,
    double beta1,
    double beta2,
    double adamEps,
    double weightDecay,
    int warmupSteps,
    double gradClip,
    double emaDecay,
    boolean emaWarmup,
    double condDropout,
    long seed,
    int checkpointEvery,
    int logEvery) {

  public static final String MSE = "mse";
  public static final String SELF_PERCEPTUAL = "self-perceptual";

  public TrainConfig {
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(parameterization, "parameterization");
    Objects.requireNonNull(objective, "objective");
    Objects.requireNonNull(tSampler, "tSampler");
    objective = objective.toLowerCase(Locale.ROOT);
    NoiseSchedules.named(schedule, T, false); // validates name and T
    if (zeroTerminalSnr && parameterization == Parameterization.EPS) {
      throw new IllegalArgumentException(
          "parameterization: eps cannot be used with zeroTerminalSnr (x0 undefined at abar_T = 0)");
    }
    TimestepSamplers.parseOnline(tSampler, T);
    switch (objective) {
      case MSE -> {
        if (selfPerceptual != null) {
          throw new IllegalArgumentException(
              "selfPerceptual: set only with objective self-perceptual");
        }
      }
      case SELF_PERCEPTUAL -> {
        if (selfPerceptual == null) {
          throw new IllegalArgumentException(
              "selfPerceptual: required by objective self-perceptual");
        }
        selfPerceptual.validate(T);
      }
      default ->
          throw new IllegalArgumentException(
              "objective: '" + objective + "' is not mse or self-perceptual");
    }
    positive("steps", steps);
    positive("batchSize", batchSize);
    if (!(lr > 0) || !Double.isFinite(lr)) {
      throw new IllegalArgumentException("lr must be finite and > 0: " + lr);
    }
    unit("beta1", beta1);
    unit("beta2", beta2);
    if (!(adamEps > 0)) {
      throw new IllegalArgumentException("adamEps must be > 0: " + adamEps);
    }
    if (!(weightDecay >= 0)) {
      throw new IllegalArgumentException("weightDecay must be >= 0: " + weightDecay);
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("warmupSteps must be >= 0: " + warmupSteps);
    }
    if (!(gradClip >= 0)) {
      throw new IllegalArgumentException("gradClip must be >= 0 (0 = off): " + gradClip);
    }
    unit("emaDecay", emaDecay);
    if (!(condDropout >= 0 && condDropout < 1)) {
      throw new IllegalArgumentException("condDropout must be in [0, 1): " + condDropout);
    }
    if (!(minSnrGamma >= 0)) {
      throw new IllegalArgumentException("minSnrGamma must be >= 0 (0 = off): " + minSnrGamma);
    }
    if (checkpointEvery < 0) {
      throw new IllegalArgumentException("checkpointEvery must be >= 0: " + checkpointEvery);
    }
    positive("logEvery", logEvery);
  }

  private static void positive(String field, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(field + " must be >= 1: " + v);
    }
  }

  private static void unit(String field, double v) {
    if (!(v >= 0 && v < 1)) {
      throw new IllegalArgumentException(field + " must be in [0, 1): " + v);
    }
  }

  /** Whether the objective is the self-perceptual loss. */
  public boolean usesSelfPerceptual() {
    return SELF_PERCEPTUAL.equals(objective);
  }

  /** The online {@code t} sampler spec of the objective. */
  @JsonIgnore
  public String onlineTSampler() {
    return usesSelfPerceptual() ? selfPerceptual.tSampler() : tSampler;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder preset to the same values {@code builder()} documents. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.schedule = schedule;
    b.T = T;
    b.zeroTerminalSnr = zeroTerminalSnr;
    b.parameterization = parameterization;
    b.objective = objective;
    b.tSampler = tSampler;
    b.minSnrGamma = minSnrGamma;
    b.selfPerceptual = selfPerceptual;
    b.steps = steps;
    b.batchSize = batchSize;
    b.lr = lr;
    b.beta1 = beta1;
    b.beta2 = beta2;
    b.adamEps = adamEps;
    b.weightDecay = weightDecay;
    b.warmupSteps = warmupSteps;
    b.gradClip = gradClip;
    b.emaDecay = emaDecay;
    b.emaWarmup = emaWarmup;
    b.condDropout = condDropout;
    b.seed = seed;
    b.checkpointEvery = checkpointEvery;
    b.logEvery = logEvery;
    return b;
  }

  /**
   * Default noise schedule: DDPM's linear betas (1e-4 to 0.02), the pixel-space schedule the
   * studies here train with; the experiment file uses the same default.
   */
  public static final String DEFAULT_SCHEDULE = "linear";

  /** Default number of diffusion timesteps {@code T}. */
  public static final int DEFAULT_TIMESTEPS = 1000;

  /**
   * Zero terminal SNR is on by default (Lin et al. 2023, which the method builds on): the last
   * timestep is pure noise, as at sampling time. It needs v- or x0-prediction.
   */
  public static final boolean DEFAULT_ZERO_TERMINAL_SNR = true;

  /**
   * Default EMA decay, with warmup {@code min(decay, (1 + k) / (10 + k))}: 0.999 averages over
   * about a thousand steps, which suits the CPU-sized trainings here (0.9999 would keep mostly
   * early weights at a few thousand steps).
   */
  public static final double DEFAULT_EMA_DECAY = 0.999;

  /**
   * Defaults: {@link #DEFAULT_SCHEDULE}, T {@link #DEFAULT_TIMESTEPS}, zero terminal SNR,
   * v-prediction, MSE with uniform {@code t}, 1000 steps, batch 64, lr 1e-4, AdamW (0.9, 0.999,
   * 1e-8, wd 0), no warmup, clip 1.0, EMA {@link #DEFAULT_EMA_DECAY} with warmup, cond dropout 0.1,
   * seed 0, checkpoint every 1000, log every 50.
   */
  public static final class Builder {
    private String schedule = DEFAULT_SCHEDULE;
    private int T = DEFAULT_TIMESTEPS;
    private boolean zeroTerminalSnr = DEFAULT_ZERO_TERMINAL_SNR;
    private Parameterization parameterization = Parameterization.V;
    private String objective = MSE;
    private String tSampler = "uniform";
    private double minSnrGamma = 0;
    private SelfPerceptualConfig selfPerceptual;
    private int steps = 1000;
    private int batchSize = 64;
    private double lr = 1e-4;
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double adamEps = 1e-8;
    private double weightDecay = 0;
    private int warmupSteps = 0;
    private double gradClip = 1.0;
    private double emaDecay = DEFAULT_EMA_DECAY;
    private boolean emaWarmup = true;
    private double condDropout = 0.1;
    private long seed = 0;
    private int checkpointEvery = 1000;
    private int logEvery = 50;

    public Builder schedule(String name, int T, boolean zeroTerminalSnr) {
      this.schedule = name;
      this.T = T;
      this.zeroTerminalSnr = zeroTerminalSnr;
      return this;
    }

    public Builder parameterization(Parameterization p) {
      this.parameterization = p;
      return this;
    }

    /** Plain MSE with an online {@code t} sampler spec and min-SNR gamma (0 = off). */
    public Builder mse(String tSampler, double minSnrGamma) {
      this.objective = MSE;
      this.tSampler = tSampler;
      this.minSnrGamma = minSnrGamma;
      this.selfPerceptual = null;
      return this;
    }

    /** The self-perceptual objective. */
    public Builder selfPerceptual(SelfPerceptualConfig c) {
      this.objective = SELF_PERCEPTUAL;
      this.selfPerceptual = c;
      return this;
    }

    public Builder steps(int steps) {
      this.steps = steps;
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder lr(double lr) {
      this.lr = lr;
      return this;
    }

    public Builder adamW(double beta1, double beta2, double eps, double weightDecay) {
      this.beta1 = beta1;
      this.beta2 = beta2;
      this.adamEps = eps;
      this.weightDecay = weightDecay;
      return this;
    }

    public Builder warmupSteps(int warmupSteps) {
      this.warmupSteps = warmupSteps;
      return this;
    }

    public Builder gradClip(double gradClip) {
      this.gradClip = gradClip;
      return this;
    }

    public Builder ema(double decay, boolean warmup) {
      this.emaDecay = decay;
      this.emaWarmup = warmup;
      return this;
    }

    public Builder condDropout(double p) {
      this.condDropout = p;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder checkpointEvery(int n) {
      this.checkpointEvery = n;
      return this;
    }

    public Builder logEvery(int n) {
      this.logEvery = n;
      return this;
    }

    public TrainConfig build() {
      return new TrainConfig(
          schedule,
          T,
          zeroTerminalSnr,
          parameterization,
          objective,
          tSampler,
          minSnrGamma,
          selfPerceptual,
          steps,
          batchSize,
          lr,
          beta1,
          beta2,
          adamEps,
          weightDecay,
          warmupSteps,
          gradClip,
          emaDecay,
          emaWarmup,
          condDropout,
          seed,
          checkpointEvery,
          logEvery);
    }
  }
}
