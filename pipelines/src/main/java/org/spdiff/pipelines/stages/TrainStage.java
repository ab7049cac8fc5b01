package org.spdiff.pipelines.stages;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;
import org.spdiff.core.checkpoint.Checkpoint;
import org.spdiff.core.checkpoint.CorruptCheckpointException;
import org.spdiff.core.data.ImageSet;
import org.spdiff.core.model.UNetConfig;
import org.spdiff.core.train.DiffusionTrainer;
import org.spdiff.core.train.Nets;
import org.spdiff.core.train.TrainConfig;
import org.spdiff.core.train.WeightsRef;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.dag.Progress;
import org.spdiff.pipelines.dag.Provenance;
import org.spdiff.pipelines.dag.StageKey;
import org.spdiff.pipelines.experiment.ExperimentSpec;
import org.spdiff.pipelines.store.ArtifactStore;
import org.spdiff.pipelines.store.Attempt;

/**
 * Training stages: the MSE teacher and every variant (one element each, fanned out across workers).
 *
 * <p>A stage trains in a private {@link Attempt} folder, resuming from the newest intact checkpoint
 * an earlier attempt left, so a killed or retried worker continues where it stopped and ends with
 * bitwise the weights of an uninterrupted run (CPU). It writes {@code loss.csv} with the
 * checkpoints and publishes the folder as {@code <store>/<stage>/<key>/} at the end; when another
 * run published first, it uses the stored key. A complete key is read at exactly its configured
 * final step ({@link #finalCheckpoint}). A variant starts from the teacher's final weights, which
 * are also its frozen perceptual network (raw weights, never the EMA: METHOD.md, stage 2).
 */
public final class TrainStage {
  private TrainStage() {}

  /**
   * One training job.
   *
   * @param replicate the training replicate of a variant (0 for the teacher)
   * @param teacherKey for a variant, the teacher it starts from; null for the teacher
   */
  public record Task(String stage, String name, int replicate, String key, String teacherKey)
      implements Serializable {

    /** The teacher's training job. */
    public static Task teacher(Plan plan) {
      return new Task(Plan.TEACHER, plan.spec().teacher().name(), 0, plan.teacherKey(), null);
    }

    /** The training job of one replicate of a variant. */
    public static Task variant(Plan plan, Plan.VariantStage v) {
      return new Task(Plan.VARIANT, v.spec().name(), v.replicate(), v.key(), plan.teacherKey());
    }
  }

  /** Runs (or finds complete) the training of each {@link Task}. */
  public static final class TrainFn extends DoFn<Task, TrainedModel> {
    private final Plan plan;
    private final ArtifactStore store;
    private final PCollectionView<TrainedModel> teacherView;

    /**
     * @param teacherView the completed teacher (variants wait for it); null for the teacher
     */
    public TrainFn(Plan plan, ArtifactStore store, PCollectionView<TrainedModel> teacherView) {
      this.plan = plan;
      this.store = store;
      this.teacherView = teacherView;
    }

    @ProcessElement
    public void process(ProcessContext c) throws Exception {
      Task task = c.element();
      if (teacherView != null) {
        TrainedModel teacher = c.sideInput(teacherView);
        if (!teacher.key().equals(task.teacherKey())) {
          throw new IllegalStateException(
              "variant "
                  + task.name()
                  + " expects teacher "
                  + task.teacherKey()
                  + ", got "
                  + teacher.key());
        }
      }
      c.output(train(plan, store, task));
    }
  }

  /** Trains one task in this JVM (also used by {@code spdiff train}). */
  public static TrainedModel train(Plan plan, ArtifactStore store, Task task) throws Exception {
    Plan.VariantStage variant =
        task.stage().equals(Plan.TEACHER) ? null : plan.variantByKey(task.key());
    String label = variant == null ? "teacher" : "variant " + variant.label();
    if (store.isComplete(task.stage(), task.key())) {
      StageCounters.cached(task.stage()).inc();
      JsonNode results = marker(store, task).path("results");
      Progress.note(label, "complete in the store (" + task.key() + "), not retrained");
      return new TrainedModel(
          task.stage(),
          task.name(),
          task.key(),
          results.path("steps").asLong(),
          results.path("seconds").asDouble(Double.NaN));
    }
    ExperimentSpec spec = plan.spec();
    ImageSet data = StageData.load(store, plan.prepareKey(), "train", spec.data().conditional());
    TrainConfig config =
        variant == null
            ? StageConfigs.teacher(spec)
            : StageConfigs.variant(spec, variant.spec(), variant.seed());
    UNetConfig unet = StageConfigs.unet(spec, Math.max(data.numClasses(), 0));
    // Claim, then publish: this run trains in its own attempt folder, resuming from the newest
    // checkpoint any earlier attempt left, and publishes the folder as the key at the end.
    Attempt attempt = store.attempt(task.stage(), task.key());
    adoptNewestCheckpoint(store, task, attempt);
    StoreCheckpoints checkpoints = StoreCheckpoints.in(attempt.dir());
    DiffusionTrainer trainer = new DiffusionTrainer(config, Nets.unet(unet), checkpoints);
    Map<String, String> consumed = new LinkedHashMap<>();
    consumed.putAll(Provenance.consumed(store, Plan.PREPARE, plan.prepareKey()));
    if (task.teacherKey() != null) {
      Checkpoint teacher = finalCheckpoint(plan, store, Plan.TEACHER, task.teacherKey());
      consumed.putAll(Provenance.consumed(store, Plan.TEACHER, task.teacherKey()));
      trainer.initialWeights(new WeightsRef(teacher, false));
      if (config.usesSelfPerceptual()) {
        trainer.perceptualWeights(teacher);
      }
    }
    long resumedAt = Checkpoint.readLatest(checkpoints).map(Checkpoint::step).orElse(0L);
    List<String> loss = previousLoss(attempt, resumedAt);
    Progress progress = Progress.of(label, "step", config.steps(), resumedAt);
    long[] last = {resumedAt};
    int every = Math.max(1, config.checkpointEvery());
    trainer.onProgress(
        (step, l, ips) -> {
          StageCounters.of(StageCounters.TRAIN_STEPS).inc(step - last[0]);
          last[0] = step;
          loss.add(step + "," + l);
          progress.update(step, String.format(Locale.ROOT, "loss %.4f %.0f img/s", l, ips));
          if (step % every == 0 || step == config.steps()) {
            writeLoss(attempt, loss);
          }
        });
    if (resumedAt > 0) {
      Progress.note(label, "resuming from the checkpoint at step " + resumedAt);
    }
    long t0 = System.nanoTime();
    DiffusionTrainer.Result result = trainer.run(data);
    double seconds = (System.nanoTime() - t0) / 1e9;
    writeLoss(attempt, loss);
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("steps", result.step());
    results.put("finalLoss", result.lastLoss());
    results.put("seconds", seconds);
    results.put("resumedFromStep", resumedAt);
    results.put("checkpoint", result.lastCheckpoint());
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("train", Checkpoint.json().valueToTree(config));
    cfg.put("unet", Checkpoint.json().valueToTree(unet));
    cfg.put("name", task.name());
    cfg.put("replicate", task.replicate());
    List<String> upstream = new ArrayList<>(List.of(plan.prepareKey()));
    if (task.teacherKey() != null) {
      upstream.add(task.teacherKey());
    }
    boolean won =
        attempt.publish(
            Provenance.json(task.stage(), task.key(), cfg, upstream, results, consumed));
    if (!won) {
      // Another run published this key first: its checkpoints are the key, and everything
      // downstream of this run reads them, not the ones this attempt computed (now deleted).
      StageCounters.cached(task.stage()).inc();
      JsonNode stored = marker(store, task).path("results");
      Progress.note(label, "another run published " + task.key() + " first; using its weights");
      return new TrainedModel(
          task.stage(),
          task.name(),
          task.key(),
          stored.path("steps").asLong(),
          stored.path("seconds").asDouble(Double.NaN));
    }
    StageCounters.computed(task.stage()).inc();
    Progress.note(
        label,
        String.format(
            Locale.ROOT,
            "done: %d steps in %.1f s, final loss %.4f",
            result.step(),
            seconds,
            result.lastLoss()));
    return new TrainedModel(task.stage(), task.name(), task.key(), result.step(), seconds);
  }

  /**
   * The configured final checkpoint of a complete training key, every file checked against the
   * key's marker; a missing or damaged file fails naming it, never falls back to an older step.
   */
  public static Checkpoint finalCheckpoint(Plan plan, ArtifactStore store, String stage, String key)
      throws java.io.IOException {
    long steps =
        stage.equals(Plan.TEACHER)
            ? StageConfigs.teacher(plan.spec()).steps()
            : StageConfigs.variant(
                    plan.spec(), plan.variantByKey(key).spec(), plan.variantByKey(key).seed())
                .steps();
    if (!store.isComplete(stage, key)) {
      throw new IllegalStateException(
          stage + " key " + key + " is not complete in the store " + store.root());
    }
    try {
      return Checkpoint.read(new StoreCheckpoints(store, stage, key), Checkpoint.dirName(steps));
    } catch (CorruptCheckpointException e) {
      IllegalStateException named =
          new IllegalStateException(
              stage
                  + " key "
                  + key
                  + " is complete but its final checkpoint (step "
                  + steps
                  + ") cannot be read: "
                  + e.getMessage()
                  + " (store "
                  + store.root()
                  + "; no fallback to an older step)");
      named.addSuppressed(e);
      throw named;
    }
  }

  /**
   * Copies the newest intact checkpoint (and its loss curve) that an earlier, interrupted attempt
   * at this key left into {@code attempt}, so training resumes where it stopped.
   */
  private static void adoptNewestCheckpoint(ArtifactStore store, Task task, Attempt attempt)
      throws java.io.IOException {
    List<String> sources = new ArrayList<>(store.attemptDirs(task.stage(), task.key()));
    // A key folder without a marker: an interrupted run of an older spdiff, which trained in place.
    sources.add(store.dir(task.stage(), task.key()));
    String best = null;
    Checkpoint bestCk = null;
    for (String src : sources) {
      if (src.equals(attempt.dir())) {
        continue;
      }
      StoreCheckpoints cks = StoreCheckpoints.in(src);
      Optional<String> latest = Checkpoint.latest(cks);
      if (latest.isEmpty()) {
        continue;
      }
      try {
        Checkpoint ck = Checkpoint.read(cks, latest.get());
        if (bestCk == null || ck.step() > bestCk.step()) {
          best = src;
          bestCk = ck;
        }
      } catch (CorruptCheckpointException e) {
        Progress.note(task.name(), "ignoring a damaged checkpoint: " + e.getMessage());
      }
    }
    if (bestCk == null) {
      return;
    }
    String ckDir = "checkpoints/" + bestCk.dir() + "/";
    List<String> names = new ArrayList<>(bestCk.manifest().files().keySet());
    names.add(Checkpoint.MANIFEST); // last: the commit point
    for (String f : names) {
      attempt.write(
          ckDir + f,
          ArtifactStore.readFile(best + "/" + ckDir + f)
              .orElseThrow(() -> new IllegalStateException("vanished while resuming: " + f)));
    }
    Optional<byte[]> loss = ArtifactStore.readFile(best + "/" + LOSS);
    if (loss.isPresent()) {
      attempt.write(LOSS, loss.get());
    }
  }

  static JsonNode marker(ArtifactStore store, Task task) throws java.io.IOException {
    return StageKey.CANONICAL.readTree(
        store.require(task.stage(), task.key(), ArtifactStore.MARKER));
  }

  private static final String LOSS = "loss.csv";

  private static List<String> previousLoss(Attempt attempt, long upTo) {
    List<String> out = new ArrayList<>();
    Optional<byte[]> old = ArtifactStore.readFile(attempt.path(LOSS));
    if (old.isPresent() && upTo > 0) {
      for (String line :
          new String(old.get(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        String[] p = line.split(",");
        if (p.length == 2 && p[0].matches("\\d+") && Long.parseLong(p[0]) <= upTo) {
          out.add(line);
        }
      }
    }
    return out;
  }

  private static void writeLoss(Attempt attempt, List<String> loss) {
    attempt.writeString(LOSS, "step,loss\n" + String.join("\n", loss) + "\n");
  }
}
