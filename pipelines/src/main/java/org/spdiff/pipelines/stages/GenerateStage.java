package org.spdiff.pipelines.stages;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.spdiff.core.sampling.CheckpointSampler;
import org.spdiff.core.sampling.SamplerConfig;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.dag.Plan.Cell;
import org.spdiff.pipelines.dag.Progress;
import org.spdiff.pipelines.experiment.ExperimentSpec.GenerationSpec;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * Bulk generation, fanned out over seed ranges. Sample {@code i} of every cell draws its noise from
 * {@code (generation.seed, i)} only (common random numbers across variants and CFG scales), and for
 * a conditional model is of class {@code i mod numClasses} (or of the null class, for a setting
 * with {@code labels: none}); so a sample never depends on sharding, parallelism, retries or the
 * runner. Samples are written as PNGs under {@code <store>/generate/<key>/samples/}; a finished
 * shard is marked and read back, not regenerated.
 */
public final class GenerateStage {
  private GenerateStage() {}

  /** Samples {@code [from, to)} of cell {@code cell} (an index into {@link Plan#cells()}). */
  public record ShardTask(int cell, int shard, long from, long to) implements Serializable {}

  /** The shards of a cell. */
  public static List<ShardTask> shards(int cellIndex, GenerationSpec g) {
    List<ShardTask> out = new ArrayList<>();
    int shard = 0;
    for (long from = 0; from < g.samples(); from += g.shardSize()) {
      out.add(new ShardTask(cellIndex, shard++, from, Math.min(g.samples(), from + g.shardSize())));
    }
    return out;
  }

  /** The cell's sample grid, in the generate stage's folder. */
  public static final String GRID = "grid.png";

  /**
   * Writes {@link #GRID} from the first {@code gridSize^2} samples of a cell (read back as PNG).
   */
  public static void writeGrid(ArtifactStore store, Plan plan, Cell cell) {
    if (store.isComplete(Plan.GENERATE, cell.generateKey())) {
      return; // a complete key is never written again
    }
    var spec = plan.spec();
    int g = spec.generation().gridSize();
    int ch = spec.data().channels();
    int res = spec.data().resolution();
    List<byte[]> first = new ArrayList<>();
    for (int i = 0; i < Math.min(g * g, spec.generation().samples()); i++) {
      first.add(
          PngImages.decode(
              store.require(Plan.GENERATE, cell.generateKey(), sampleName(i)), ch, res, res));
    }
    store.write(Plan.GENERATE, cell.generateKey(), GRID, PngImages.grid(first, g, ch, res, res));
  }

  /**
   * For {@code spdiff sample}: once every shard of a cell is written, writes its grid and completes
   * its generate key.
   */
  public static final class GridFn extends DoFn<KV<String, Iterable<Integer>>, String> {
    private final Plan plan;
    private final ArtifactStore store;

    public GridFn(Plan plan, ArtifactStore store) {
      this.plan = plan;
      this.store = store;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      Cell cell = plan.cell(c.element().getKey());
      writeGrid(store, plan, cell);
      markGenerated(store, plan, cell);
      c.output(cell.generateKey());
    }
  }

  /** Completes a cell's generate key (all its shards are written). */
  public static void markGenerated(ArtifactStore store, Plan plan, Cell cell) {
    java.util.Map<String, Object> results = new java.util.LinkedHashMap<>();
    results.put("samples", plan.spec().generation().samples());
    java.util.Map<String, Object> config = new java.util.LinkedHashMap<>();
    config.put("generation", plan.spec().generation());
    config.put("setting", cell.setting());
    config.put("cfgScale", cell.cfgScale());
    if (store.isComplete(Plan.GENERATE, cell.generateKey())) {
      return;
    }
    if (store.markComplete(
        Plan.GENERATE,
        cell.generateKey(),
        org.spdiff.pipelines.dag.Provenance.json(
            Plan.GENERATE,
            cell.generateKey(),
            config,
            List.of(cell.variantKey()),
            results,
            org.spdiff.pipelines.dag.Provenance.consumed(
                store, Plan.VARIANT, cell.variantKey())))) {
      StageCounters.computed(Plan.GENERATE).inc();
    }
  }

  /**
   * Images per second of a cell's generation: its samples over the summed wall time of its shards
   * (the throughput of one worker; shards that ran at once on several workers count each their own
   * time). NaN when a shard's time was not recorded (shards written before it was).
   */
  public static double imagesPerSecond(ArtifactStore store, Plan plan, Cell cell) {
    GenerationSpec g = plan.spec().generation();
    double seconds = 0;
    for (ShardTask t : shards(0, g)) {
      Optional<byte[]> marker =
          store.read(Plan.GENERATE, cell.generateKey(), shardMarker(t.shard()));
      String[] f =
          marker
              .map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8).trim())
              .orElse("")
              .split("\\s+");
      if (f.length < 2) {
        return Double.NaN;
      }
      seconds += Double.parseDouble(f[1]);
    }
    return seconds > 0 ? g.samples() / seconds : Double.NaN;
  }

  static String sampleName(long i) {
    return String.format(Locale.ROOT, "samples/%06d.png", i);
  }

  static String shardMarker(int shard) {
    return String.format(Locale.ROOT, "shards/%05d.done", shard);
  }

  /** Generates (or reads back) one shard; output keyed by the cell's score key. */
  public static final class GenerateShardFn extends DoFn<ShardTask, KV<String, SampleShard>> {
    private final Plan plan;
    private final ArtifactStore store;
    private transient String openKey;
    private transient CheckpointSampler sampler;

    public GenerateShardFn(Plan plan, ArtifactStore store) {
      this.plan = plan;
      this.store = store;
    }

    @ProcessElement
    public void process(ProcessContext c) throws Exception {
      ShardTask task = c.element();
      Cell cell = plan.cells().get(task.cell());
      c.output(KV.of(cell.scoreKey(), shard(cell, task)));
    }

    SampleShard shard(Cell cell, ShardTask task) throws Exception {
      GenerationSpec g = plan.spec().generation();
      // The study's UNet is built at the data's channels and resolution (StageConfigs.unet), so a
      // finished shard is read back without loading the checkpoint.
      int ch = plan.spec().data().channels();
      int h = plan.spec().data().resolution();
      int w = h;
      int n = (int) (task.to() - task.from());
      byte[][] images = new byte[n][];
      String gk = cell.generateKey();
      // A complete key (another run finished it) or a finished shard is read back, never written.
      if (store.isComplete(Plan.GENERATE, gk)
          || store.read(Plan.GENERATE, gk, shardMarker(task.shard())).isPresent()) {
        for (int j = 0; j < n; j++) {
          images[j] =
              PngImages.decode(
                  store.require(Plan.GENERATE, gk, sampleName(task.from() + j)), ch, h, w);
        }
        return new SampleShard(task.shard(), task.from(), images, ch, h, w);
      }
      CheckpointSampler s = sampler(cell.variantKey(), g.ema());
      SamplerConfig config = StageConfigs.sampler(g, cell.setting(), cell.cfgScale());
      int classes = s.net().numClasses();
      String nfe = "NFE " + s.evaluations(config);
      String label = "generate " + cell.label() + " shard " + task.shard();
      Progress progress = Progress.of(label, "images", n, 0);
      long start = System.nanoTime();
      for (int b = 0; b < n; b += g.batchSize()) {
        int m = Math.min(g.batchSize(), n - b);
        long[] ids = new long[m];
        int[] labels = classes > 0 ? new int[m] : null;
        for (int j = 0; j < m; j++) {
          ids[j] = task.from() + b + j;
          if (labels != null) {
            // The null class (id = classes) is what classifier-free guidance training drops to.
            labels[j] = cell.setting().unconditional() ? classes : (int) (ids[j] % classes);
          }
        }
        byte[][] batch = s.generateUint8(config, g.seed(), ids, labels);
        for (int j = 0; j < m; j++) {
          images[b + j] = batch[j];
          store.write(Plan.GENERATE, gk, sampleName(ids[j]), PngImages.encode(batch[j], ch, h, w));
        }
        StageCounters.of(StageCounters.IMAGES_GENERATED).inc(m);
        progress.update(b + m, nfe);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Progress.note(
          label,
          String.format(
              Locale.ROOT, "%d images in %.1f s: %.2f images/s, %s", n, seconds, n / seconds, nfe));
      store.writeString(
          Plan.GENERATE,
          gk,
          shardMarker(task.shard()),
          String.format(Locale.ROOT, "%d %.3f", n, seconds));
      return new SampleShard(task.shard(), task.from(), images, ch, h, w);
    }

    private CheckpointSampler sampler(String variantKey, boolean ema) throws Exception {
      if (!variantKey.equals(openKey)) {
        close();
        sampler =
            CheckpointSampler.open(
                TrainStage.finalCheckpoint(plan, store, Plan.VARIANT, variantKey), ema);
        openKey = variantKey;
      }
      return sampler;
    }

    @Teardown
    public void close() {
      if (sampler != null) {
        sampler.close();
        sampler = null;
        openKey = null;
      }
    }
  }
}
