package org.spdiff.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import org.spdiff.core.checkpoint.Checkpoint;
import org.spdiff.core.checkpoint.CheckpointStore;
import org.spdiff.core.checkpoint.NamedParameters;
import org.spdiff.core.data.ImageSet;
import org.spdiff.core.diffusion.Coefficients;
import org.spdiff.core.diffusion.GaussianDiffusion;
import org.spdiff.core.engine.NativeArrays;
import org.spdiff.core.loss.MseLoss;
import org.spdiff.core.loss.NoisePairing;
import org.spdiff.core.loss.SelfPerceptualLoss;
import org.spdiff.core.model.DiffusionNet;
import org.spdiff.core.noise.SeededNoise;
import org.spdiff.core.schedule.NoiseSchedules;
import org.spdiff.core.timestep.TimestepSampler;
import org.spdiff.core.timestep.TimestepSamplers;

/**
 * Runs one training stage (MSE or self-perceptual) on an {@link ImageSet}, resuming from the newest
 * checkpoint of its {@link CheckpointStore}.
 *
 * <p>Each step {@code s} (0-based) draws its batch, {@code t}, {@code eps}, {@code t'}, fresh
 * noise, label dropout and the engine seed (dropout) from {@code (seed, s)} only, so a resumed run
 * takes exactly the draws of an uninterrupted one; with the optimizer state restored, the final
 * weights are bitwise equal on CPU (same thread count).
 *
 * <p>Update: AdamW written out over named parameters (PyTorch's algorithm: decoupled decay {@code p
 * *= 1 - lr wd}, bias-corrected moments), learning rate {@code lr min(1, (s + 1) / warmup)},
 * gradients scaled by {@code min(1, clip / (||g||_2 + 1e-6))} over all parameters, then the EMA
 * {@code e = d e + (1 - d) p}. A non-finite loss or gradient norm throws {@link
 * NonFiniteLossException} before any update; checkpoints are only written after good steps.
 *
 * <p>Concurrency: libtorch allows one gradient collector per process and the engine seed is global,
 * so run one trainer per JVM at a time. Threads: set {@code ai.djl.pytorch.num_threads} to the
 * cores the worker really has (STACK.md).
 */
public final class DiffusionTrainer {

  /** Called every {@code logEvery} steps and after the last. */
  @FunctionalInterface
  public interface Progress {
    /**
     * @param step completed steps
     * @param loss the loss of the last step
     * @param imagesPerSecond throughput since the previous call
     */
    void onLog(long step, double loss, double imagesPerSecond);
  }

  /** The outcome of {@link #run}. */
  public record Result(long step, double lastLoss, String lastCheckpoint) {}

  private final TrainConfig config;
  private final NetFactory factory;
  private final CheckpointStore store;
  private WeightsRef initial;
  private Checkpoint perceptualWeights;
  private Progress progress = (s, l, ips) -> {};
  private boolean checkpointAtEnd = true;

  public DiffusionTrainer(TrainConfig config, NetFactory factory, CheckpointStore store) {
    this.config = Objects.requireNonNull(config, "config");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * Start from these weights instead of a random init (stage 2: the stage-1 model). Ignored when
   * the store already holds a checkpoint of this run: resuming wins.
   */
  public DiffusionTrainer initialWeights(WeightsRef w) {
    this.initial = w;
    return this;
  }

  /**
   * The stage-1 checkpoint whose raw (non-EMA) weights become the frozen perceptual network
   * (METHOD.md Stage 2 step 1: a frozen copy of the stage-1 model, never updated, not the EMA).
   * Required by the self-perceptual objective.
   */
  public DiffusionTrainer perceptualWeights(Checkpoint stage1) {
    this.perceptualWeights = stage1;
    return this;
  }

  public DiffusionTrainer onProgress(Progress p) {
    this.progress = Objects.requireNonNull(p);
    return this;
  }

  /**
   * Whether the last step writes a checkpoint (default true). Off only for runs whose weights
   * nobody reads, such as the cost calibration's timed steps: encoding and hashing a 35 M-parameter
   * checkpoint took 5-7 s, longer than the steps it followed.
   */
  public DiffusionTrainer checkpointAtEnd(boolean on) {
    this.checkpointAtEnd = on;
    return this;
  }

  /** The config as stored in checkpoints. */
  JsonNode configJson() {
    return Checkpoint.json().valueToTree(config);
  }

  /** One online parameter and its optimizer/EMA state. */
  private record Slot(String name, NDArray param, NDArray m, NDArray v, NDArray ema) {}

  /**
   * Trains up to {@code config.steps()}, resuming from the store's newest checkpoint.
   *
   * @throws NonFiniteLossException on a NaN/infinite loss or gradient
   */
  public Result run(ImageSet data) throws IOException {
    org.spdiff.core.engine.GradMode.offOnThisThread();
    if (config.usesSelfPerceptual() && perceptualWeights == null) {
      throw new IllegalArgumentException("self-perceptual training needs perceptual weights");
    }
    Engine engine = Engine.getInstance();
    GaussianDiffusion diffusion =
        new GaussianDiffusion(
            NoiseSchedules.named(config.schedule(), config.T(), config.zeroTerminalSnr()));
    long seed = config.seed();
    int batch = config.batchSize();
    Shape shape = new Shape(batch, data.channels(), data.height(), data.width());
    try (NDManager root = NDManager.newBaseManager()) {
      long initSeed = SeededNoise.key(seed, SeededNoise.STREAM_INIT);
      DiffusionNet online;
      // The engine's RNG is process-wide: seeding it outside the engine's monitor would reset the
      // RNG of a training initialising in another thread (the DirectRunner's feature classifier
      // came out with one of two weights, depending on timing).
      synchronized (engine) {
        engine.setRandomSeed(seedInt(initSeed));
        online = factory.create(root, initSeed);
      }
      checkData(online, data);
      Optional<Checkpoint> resume = Checkpoint.readLatest(store);
      long start = 0;
      long optStep = 0;
      Map<String, NDArray> emaIn = null;
      Map<String, NDArray> optIn = null;
      if (resume.isPresent()) {
        Checkpoint ck = resume.get();
        checkResumable(ck);
        ck.loadInto(online, false);
        emaIn = ck.arrays(Checkpoint.EMA, root);
        optIn = ck.arrays(Checkpoint.OPTIMIZER, root);
        start = ck.step();
        optStep = ck.manifest().optimizerStep();
      } else if (initial != null) {
        initial.checkpoint().loadInto(online, initial.ema());
      }
      List<Slot> slots = new ArrayList<>();
      for (Map.Entry<String, Parameter> p : NamedParameters.of(online).entrySet()) {
        p.getValue().freeze(false);
        NDArray a = p.getValue().getArray();
        String n = p.getKey();
        NDArray ema = emaIn != null ? require(emaIn, n, Checkpoint.EMA) : a.duplicate();
        NDArray m = optIn != null ? require(optIn, "m/" + n, Checkpoint.OPTIMIZER) : zeros(a);
        NDArray v = optIn != null ? require(optIn, "v/" + n, Checkpoint.OPTIMIZER) : zeros(a);
        slots.add(new Slot(n, a, m, v, ema));
      }
      DiffusionNet perceptual = null;
      if (config.usesSelfPerceptual()) {
        perceptual = factory.create(root, initSeed);
        perceptualWeights.loadInto(perceptual, false);
        perceptual.block().freezeParameters(true);
      }
      String lastCk = resume.map(Checkpoint::dir).orElse(null);
      if (start >= config.steps()) {
        return new Result(start, Double.NaN, lastCk);
      }

      ParameterStore ps = new ParameterStore(root, false);
      MseLoss mse = new MseLoss(config.parameterization(), config.minSnrGamma());
      SelfPerceptualLoss sp =
          config.usesSelfPerceptual()
              ? new SelfPerceptualLoss(config.selfPerceptual(), config.parameterization(), mse)
              : null;
      TimestepSampler tSampler = TimestepSamplers.parseOnline(config.onlineTSampler(), config.T());
      TimestepSampler tPrimeSampler =
          sp != null ? TimestepSamplers.parse(sp.config().tPrimeSampler(), config.T()) : null;
      BatchIndices batches = new BatchIndices(data.size(), batch, seed);

      double lastLoss = Double.NaN;
      long windowStart = System.nanoTime();
      long windowSteps = 0;
      for (long s = start; s < config.steps(); s++) {
        try (NDManager sm = root.newSubManager();
            NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          int[] idx = batches.forStep(s);
          NDArray x0 = images(sm, data, idx, shape);
          NDArray labels = labels(sm, online, data, idx, s);
          long[] t = tSampler.sample(batch, SeededNoise.rng(seed, SeededNoise.STREAM_T, s), null);
          NDArray eps = SeededNoise.forStep(sm, shape, seed, SeededNoise.STREAM_EPS, s);
          Coefficients c = diffusion.coefficients(sm, t);
          NDArray xt = GaussianDiffusion.qSample(x0, eps, c);
          NDArray tArr = GaussianDiffusion.timesteps(sm, t);
          Coefficients cPrime = null;
          NDArray fresh = null;
          if (sp != null) {
            long[] tp =
                tPrimeSampler.sample(
                    batch, SeededNoise.rng(seed, SeededNoise.STREAM_T_PRIME, s), t);
            cPrime = diffusion.coefficients(sm, tp);
            if (sp.config().noisePairing() == NoisePairing.SHARED_FRESH) {
              fresh = SeededNoise.forStep(sm, shape, seed, SeededNoise.STREAM_FRESH, s);
            }
          }
          // DJL's PyTorch engine allows one GradientCollector per process and its RNG is global:
          // a step holds the engine's monitor, so several trainings in one JVM (DirectRunner,
          // embedded Flink) interleave whole steps and each stays deterministic.
          synchronized (engine) {
            engine.setRandomSeed(seedInt(SeededNoise.key(seed, SeededNoise.STREAM_DROPOUT, s)));
            try (GradientCollector gc = engine.newGradientCollector()) {
              NDArray pred = online.predict(ps, xt, tArr, labels, true);
              NDArray loss =
                  sp == null
                      ? mse.loss(pred, x0, eps, c)
                      : sp.loss(perceptual, ps, x0, eps, c, xt, pred, labels, cPrime, fresh).loss();
              lastLoss = loss.getFloat();
              if (!Double.isFinite(lastLoss)) {
                throw new NonFiniteLossException(s, "loss", lastLoss);
              }
              gc.backward(loss);
            }
            optStep++;
            update(slots, s, optStep);
          }
        }
        long done = s + 1;
        windowSteps++;
        boolean last = done == config.steps();
        if (config.checkpointEvery() > 0 && done % config.checkpointEvery() == 0
            || last && checkpointAtEnd) {
          lastCk = save(slots, done, optStep);
        }
        if (done % config.logEvery() == 0 || last) {
          double secs = (System.nanoTime() - windowStart) / 1e9;
          progress.onLog(done, lastLoss, windowSteps * batch / Math.max(secs, 1e-9));
          windowStart = System.nanoTime();
          windowSteps = 0;
        }
      }
      return new Result(config.steps(), lastLoss, lastCk);
    }
  }

  /** Clip, AdamW, zero gradients, EMA. Runs with grad mode off (outside the collector). */
  private void update(List<Slot> slots, long s, long k) {
    List<NDArray> grads = new ArrayList<>(slots.size());
    NDList sums = new NDList(slots.size());
    for (Slot slot : slots) {
      NDArray g = slot.param().getGradient();
      grads.add(g);
      sums.add(g.square().sum());
    }
    // One copy to Java for all parameters (not one per parameter); summed in double in the same
    // order as before, so the same norm to the bit.
    double sq = 0;
    for (float f : NDArrays.stack(sums).toFloatArray()) {
      sq += f;
    }
    double norm = Math.sqrt(sq);
    if (!Double.isFinite(norm)) {
      throw new NonFiniteLossException(s, "gradient norm", norm);
    }
    double coef = config.gradClip() > 0 ? Math.min(1.0, config.gradClip() / (norm + 1e-6)) : 1.0;
    double lr =
        config.warmupSteps() > 0
            ? config.lr() * Math.min(1.0, (s + 1) / (double) config.warmupSteps())
            : config.lr();
    AdamW adamW = new AdamW(config.beta1(), config.beta2(), config.adamEps(), config.weightDecay());
    double decay = Ema.decay(config.emaDecay(), config.emaWarmup(), k);
    for (int i = 0; i < slots.size(); i++) {
      Slot slot = slots.get(i);
      NDArray g = grads.get(i);
      if (coef < 1.0) {
        g.muli((float) coef);
      }
      adamW.step(slot.param(), g, slot.m(), slot.v(), lr, k);
      g.subi(g); // zero the gradient for the next step
      Ema.update(slot.ema(), slot.param(), decay);
    }
  }

  private String save(List<Slot> slots, long step, long optStep) throws IOException {
    Map<String, NDArray> w = new LinkedHashMap<>();
    Map<String, NDArray> e = new LinkedHashMap<>();
    Map<String, NDArray> o = new LinkedHashMap<>();
    for (Slot s : slots) {
      w.put(s.name(), s.param());
      e.put(s.name(), s.ema());
      o.put("m/" + s.name(), s.m());
      o.put("v/" + s.name(), s.v());
    }
    Map<String, Map<String, NDArray>> files = new LinkedHashMap<>();
    files.put(Checkpoint.WEIGHTS, w);
    files.put(Checkpoint.EMA, e);
    files.put(Checkpoint.OPTIMIZER, o);
    return Checkpoint.write(
        store, step, config.seed(), optStep, configJson(), factory.config(), files);
  }

  /** Refuses to resume a run whose config differs (other than steps, logging, checkpointing). */
  private void checkResumable(Checkpoint ck) {
    JsonNode stored = ck.manifest().trainConfig();
    if (stored == null || !stored.isObject()) {
      throw new IllegalStateException("checkpoint " + ck.dir() + " has no train config");
    }
    ObjectNode a = ((ObjectNode) stored).deepCopy();
    ObjectNode b = (ObjectNode) configJson();
    for (String f : List.of("steps", "logEvery", "checkpointEvery")) {
      a.remove(f);
      b.remove(f);
    }
    if (!a.toString().equals(b.toString())) {
      throw new IllegalStateException(
          "cannot resume from " + ck.dir() + ": its train config differs: " + a + " vs " + b);
    }
  }

  private static void checkData(DiffusionNet net, ImageSet data) {
    if (data.size() == 0) {
      throw new IllegalArgumentException("empty image set");
    }
    if (net.numClasses() > 0 && data.numClasses() != net.numClasses()) {
      throw new IllegalArgumentException(
          "the net has "
              + net.numClasses()
              + " classes, the image set "
              + data.numClasses()
              + " (a conditional net needs labelled data)");
    }
  }

  /** uint8 CHW images {@code idx} as float32 {@code [B, C, H, W]} in {@code [-1, 1]}. */
  static NDArray images(NDManager m, ImageSet data, int[] idx, Shape shape) {
    int per = data.channels() * data.height() * data.width();
    float[] f = new float[idx.length * per];
    for (int j = 0; j < idx.length; j++) {
      byte[] px = data.pixels(idx[j]);
      for (int q = 0; q < per; q++) {
        f[j * per + q] = (px[q] & 0xff) / 127.5f - 1f;
      }
    }
    return NativeArrays.of(m, f, shape);
  }

  /** Labels with condition dropout keyed by {@code (seed, step)}, or null if unconditional. */
  private NDArray labels(NDManager m, DiffusionNet net, ImageSet data, int[] idx, long s) {
    int nc = net.numClasses();
    if (nc == 0) {
      return null;
    }
    SplittableRandom rng = SeededNoise.rng(config.seed(), SeededNoise.STREAM_LABEL_DROP, s);
    long[] l = new long[idx.length];
    for (int j = 0; j < idx.length; j++) {
      boolean drop = rng.nextDouble() < config.condDropout();
      int lab = data.label(idx[j]);
      l[j] = drop || lab < 0 ? nc : lab;
    }
    return NativeArrays.of(m, l);
  }

  private static NDArray zeros(NDArray like) {
    return like.getManager().zeros(like.getShape(), DataType.FLOAT32);
  }

  private static NDArray require(Map<String, NDArray> arrays, String name, String file) {
    NDArray a = arrays.get(name);
    if (a == null) {
      throw new org.spdiff.core.checkpoint.CorruptCheckpointException(
          file + " of the resumed checkpoint has no array '" + name + "'");
    }
    return a;
  }

  private static int seedInt(long key) {
    return (int) (key ^ (key >>> 32));
  }
}
