package org.spdiff.pipelines.dag;

import java.io.File;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.spdiff.metrics.inception.InceptionWeights;
import org.spdiff.pipelines.experiment.ExperimentSpec;
import org.spdiff.pipelines.experiment.ExperimentSpec.SamplingSetting;
import org.spdiff.pipelines.experiment.ExperimentSpec.ScoringSpec;
import org.spdiff.pipelines.experiment.ExperimentSpec.VariantSpec;

/**
 * The stages of one experiment with their content keys (see {@link StageKey}). Pure: computed from
 * the spec (and a fingerprint of the raw data), no I/O on the store.
 *
 * <pre>
 * prepare ─► features ─► refstats
 *    └────► teacher ─► variant[k, r] ─► generate[k, r, s, g] ─► score[k, r, s, g] ─┬─► report
 *                                     compare[k vs control, s, g] (over replicates) ─┘
 * </pre>
 *
 * <p>{@code k} is a variant (arm), {@code r} a training replicate, {@code s} a sampling setting and
 * {@code g} a CFG scale. A {@link Row} of the table is {@code (k, s, g)} over its replicates.
 */
public record Plan(
    ExperimentSpec spec,
    String prepareKey,
    String featuresKey,
    String refKey,
    String teacherKey,
    List<VariantStage> variants,
    List<Cell> cells,
    List<Row> rows,
    List<Comparison> comparisons,
    String reportKey)
    implements Serializable {

  /** Stage folder names in the store. */
  public static final String PREPARE = "prepare";

  public static final String FEATURES = "features";
  public static final String REFSTATS = "refstats";
  public static final String TEACHER = "teacher";
  public static final String VARIANT = "variant";
  public static final String GENERATE = "generate";
  public static final String SCORE = "score";
  public static final String COMPARE = "compare";
  public static final String REPORT = "report";

  /** Bumped when a stage's output format or algorithm changes (invalidates its cache). */
  static final Map<String, Integer> FORMAT =
      Map.of(
          PREPARE, 1,
          FEATURES, 1,
          REFSTATS, 2,
          TEACHER, 1,
          VARIANT, 1,
          GENERATE, 1,
          SCORE, 2,
          COMPARE, 1,
          REPORT, 2);

  /**
   * One trained model: replicate {@code replicate} of an arm of the study.
   *
   * @param seed the replicate's training seed ({@link Replicates#seed})
   */
  public record VariantStage(VariantSpec spec, int replicate, long seed, String key)
      implements Serializable {

    /** {@code name} for replicate 0 of a one-replicate arm, else {@code name #r}. */
    public String label() {
      return spec.replicates() == 1 ? spec.name() : spec.name() + " #" + replicate;
    }
  }

  /**
   * One scored sample set: a replicate of a variant sampled with one setting at one CFG scale.
   * Sample {@code i} has the same noise and class in every cell (common random numbers).
   */
  public record Cell(
      String variant,
      int replicate,
      String variantKey,
      SamplingSetting setting,
      double cfgScale,
      String generateKey,
      String scoreKey)
      implements Serializable {

    /** A short label such as {@code sp @ ddim-20 cfg 2.0 #1}. */
    public String label() {
      return variant + " @ " + setting.label() + " cfg " + cfgScale + " #" + replicate;
    }
  }

  /** One row of the table: a variant sampled with one setting at one CFG scale, all replicates. */
  public record Row(String variant, SamplingSetting setting, double cfgScale, List<Cell> replicates)
      implements Serializable {

    /** A short label such as {@code sp @ ddim-20 cfg 2.0}. */
    public String label() {
      return variant + " @ " + setting.label() + " cfg " + cfgScale;
    }
  }

  /**
   * A variant's row against the control's row at the same sampling setting and CFG scale,
   * replicates paired by index (the first {@code pairs} of each).
   */
  public record Comparison(Row variant, Row control, int pairs, String key)
      implements Serializable {

    /** A short label such as {@code sp vs mse @ ddim-20 cfg 0.0}. */
    public String label() {
      return variant.variant()
          + " vs "
          + control.variant()
          + " @ "
          + variant.setting().label()
          + " cfg "
          + variant.cfgScale();
    }
  }

  public static Plan of(ExperimentSpec spec) {
    Map<String, Object> prepareParams = new LinkedHashMap<>();
    prepareParams.put("data", spec.data());
    prepareParams.put("inputs", fingerprint(spec.data().source()));
    String prepare = key(PREPARE, prepareParams, List.of());

    Map<String, Object> featureParams = new LinkedHashMap<>();
    @SuppressWarnings("unchecked")
    Map<String, Object> featureSpec =
        StageKey.CANONICAL.convertValue(spec.features(), TreeMap.class);
    if (spec.features().network().equals("inception")) {
      featureParams.put(
          "weights",
          spec.features().inceptionWeights().isEmpty()
              ? Map.of("download", InceptionWeights.PYTORCH_FID_URL)
              : fingerprint(spec.features().inceptionWeights()));
    } else {
      // The domain network does not resize: its keys stay what they were before resize existed.
      featureSpec.remove("resize");
    }
    featureParams.put("features", featureSpec);
    String features =
        key(
            FEATURES,
            featureParams,
            spec.features().network().equals("domain") ? List.of(prepare) : List.of());
    Map<String, Object> refParams = scoreParams(spec.scoring());
    // The precision/recall reference is a seeded subset of the real data the size of a sample set.
    refParams.put("referenceSubset", spec.generation().samples());
    String ref = key(REFSTATS, refParams, List.of(prepare, features));

    Map<String, Object> teacherParams = new LinkedHashMap<>();
    teacherParams.put("teacher", withoutName(spec.teacher()));
    teacherParams.put("conditional", spec.data().conditional());
    // An evaluated teacher's key holds its evaluation: the curve is part of its output, measured
    // with the study's features (upstream then, and only then). It reads the reference moments
    // (ref.npz, a function of prepare and features alone) but not the reference key, whose
    // scoring fields and sample count must not retrain a teacher.
    if (spec.teacher().evaluates()) {
      teacherParams.put("evalSampling", evalSampling(spec));
    }
    String teacher =
        key(
            TEACHER,
            teacherParams,
            spec.teacher().evaluates() ? List.of(prepare, features) : List.of(prepare));

    List<VariantStage> variants = new ArrayList<>();
    List<Cell> cells = new ArrayList<>();
    Map<String, List<Cell>> byRow = new LinkedHashMap<>();
    Map<String, Row> rowOf = new LinkedHashMap<>();
    for (VariantSpec v : spec.variants()) {
      for (int r = 0; r < v.replicates(); r++) {
        long seed = Replicates.seed(v.seed(), r);
        // The name is a label: renaming a variant does not retrain it. The replicate count is not
        // a parameter of one replicate: raising it trains only the new ones.
        Map<String, Object> vp = StageKey.CANONICAL.convertValue(v, TreeMap.class);
        vp.remove("name");
        vp.remove("from");
        vp.remove("replicates");
        vp.put("seed", seed);
        if (!v.selfPerceptual()) {
          for (String f : List.of("tPrime", "noisePairing", "layers", "distance", "lambda")) {
            vp.remove(f);
          }
        }
        String vk = key(VARIANT, vp, List.of(teacher));
        variants.add(new VariantStage(v, r, seed, vk));
        for (SamplingSetting setting : spec.generation().settings()) {
          for (double g : cfgScales(spec, setting)) {
            Map<String, Object> gp =
                StageKey.CANONICAL.convertValue(spec.generation(), TreeMap.class);
            for (String f : List.of("cfgScales", "settings", "shardSize", "batchSize")) {
              gp.remove(f);
            }
            gp.put("setting", settingParams(setting));
            gp.put("cfgScale", g);
            String gk = key(GENERATE, gp, List.of(vk));
            String sk = key(SCORE, scoreParams(spec.scoring()), List.of(gk, ref, features));
            Cell cell = new Cell(v.name(), r, vk, setting, g, gk, sk);
            cells.add(cell);
            String rowId = v.name() + "\u0000" + setting.label() + "\u0000" + g;
            byRow.computeIfAbsent(rowId, x -> new ArrayList<>()).add(cell);
          }
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    for (VariantSpec v : spec.variants()) {
      for (SamplingSetting setting : spec.generation().settings()) {
        for (double g : cfgScales(spec, setting)) {
          String rowId = v.name() + "\u0000" + setting.label() + "\u0000" + g;
          Row row = new Row(v.name(), setting, g, List.copyOf(byRow.get(rowId)));
          rows.add(row);
          rowOf.put(rowId, row);
        }
      }
    }
    List<Comparison> comparisons = new ArrayList<>();
    for (Row row : rows) {
      VariantSpec arm = spec.variant(row.variant());
      if (spec.isControl(arm)) {
        continue;
      }
      VariantSpec control = spec.controlFor(arm);
      Row c =
          rowOf.get(control.name() + "\u0000" + row.setting().label() + "\u0000" + row.cfgScale());
      int pairs = Math.min(row.replicates().size(), c.replicates().size());
      List<String> upstream = new ArrayList<>();
      for (int r = 0; r < pairs; r++) {
        upstream.add(c.replicates().get(r).scoreKey());
        upstream.add(row.replicates().get(r).scoreKey());
      }
      upstream.add(ref);
      comparisons.add(
          new Comparison(row, c, pairs, key(COMPARE, compareParams(spec.scoring()), upstream)));
    }
    Map<String, Object> rp = new LinkedHashMap<>();
    rp.put("name", spec.name());
    rp.put("control", spec.control());
    rp.put("rows", rows.stream().map(Row::label).toList());
    rp.put("compare", compareParams(spec.scoring()));
    List<String> upstream = new ArrayList<>(cells.stream().map(Cell::scoreKey).toList());
    comparisons.forEach(c -> upstream.add(c.key()));
    String report = key(REPORT, rp, upstream);
    return new Plan(
        spec,
        prepare,
        features,
        ref,
        teacher,
        List.copyOf(variants),
        List.copyOf(cells),
        List.copyOf(rows),
        List.copyOf(comparisons),
        report);
  }

  /**
   * A sampling setting as a key parameter. fp32 is left out, so the keys of studies written before
   * {@code precision} existed stay what they were.
   */
  /**
   * The CFG scales a setting is sampled at: all of the study's, or only 0 for a setting that gives
   * every sample the null class (guidance would contrast the null class with itself).
   */
  public static List<Double> cfgScales(ExperimentSpec spec, SamplingSetting setting) {
    List<Double> all = spec.generation().cfgScales();
    return setting.unconditional() ? all.stream().filter(g -> g == 0).toList() : all;
  }

  static Map<String, Object> settingParams(SamplingSetting setting) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = StageKey.CANONICAL.convertValue(setting, TreeMap.class);
    if (setting.precision().equals(SamplingSetting.FP32)) {
      m.remove("precision");
    }
    // Class labels are the default: the keys of every class-conditional cell stay what they were.
    if (!setting.unconditional()) {
      m.remove("labels");
    }
    return m;
  }

  /** The scoring parameters that change a cell's score. */
  private static Map<String, Object> scoreParams(ScoringSpec s) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = StageKey.CANONICAL.convertValue(s, TreeMap.class);
    return m;
  }

  /** The parameters of a comparison's estimator. */
  private static Map<String, Object> compareParams(ScoringSpec s) {
    Map<String, Object> m = new TreeMap<>();
    // The statistics themselves are in the cells' scores (their keys are upstream); the
    // comparison adds only the paired interval at a fixed 95% level and the verdict's alpha.
    m.put("level", org.spdiff.metrics.compare.PairedComparison.LEVEL);
    m.put("alpha", org.spdiff.metrics.compare.Verdicts.DEFAULT_ALPHA);
    return m;
  }

  /** The cell with this score key. */
  public Cell cell(String scoreKey) {
    return cells.stream()
        .filter(c -> c.scoreKey().equals(scoreKey))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no cell with score key " + scoreKey));
  }

  /** The index of a cell in {@link #cells()}. */
  public int indexOf(Cell cell) {
    int i = cells.indexOf(cell);
    if (i < 0) {
      throw new IllegalArgumentException("not a cell of this plan: " + cell.label());
    }
    return i;
  }

  /** Replicate 0 of the variant with this name. */
  public VariantStage variant(String name) {
    return variant(name, 0);
  }

  /** Replicate {@code replicate} of the variant with this name. */
  public VariantStage variant(String name, int replicate) {
    return variants.stream()
        .filter(v -> v.spec().name().equals(name) && v.replicate() == replicate)
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("no variant " + name + " replicate " + replicate));
  }

  /** The trained model with this key. */
  public VariantStage variantByKey(String key) {
    return variants.stream()
        .filter(v -> v.key().equals(key))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no variant with key " + key));
  }

  private static String key(String kind, Object params, List<String> upstream) {
    return StageKey.of(kind, params, upstream, FORMAT.get(kind));
  }

  private static Map<String, Object> withoutName(ExperimentSpec.TeacherSpec t) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = StageKey.CANONICAL.convertValue(t, TreeMap.class);
    m.remove("name");
    // How often checkpoints are written does not change the weights.
    m.remove("checkpointEvery");
    if (!t.evaluates()) {
      // Keys of teachers that are not evaluated stay what they were before evaluation existed.
      m.remove("evalEvery");
      m.remove("evalSamples");
      m.remove("evalSteps");
    }
    return m;
  }

  /** What an in-training evaluation's samples depend on besides the teacher's own fields. */
  private static Map<String, Object> evalSampling(ExperimentSpec spec) {
    Map<String, Object> m = new TreeMap<>();
    // Seeded by the teacher's own seed and always from its EMA: a study's generation seed or EMA
    // choice does not retrain its teacher.
    m.put("clipX0", spec.generation().clipX0());
    m.put("sampler", "ddim");
    m.put("spacing", "trailing");
    return m;
  }

  /**
   * Names and sizes of the files of a local input (recursively, sorted), or the path itself for a
   * remote one: enough to notice a changed data set without hashing gigabytes.
   */
  static Map<String, Long> fingerprint(String path) {
    Map<String, Long> out = new TreeMap<>();
    File f = new File(path);
    if (path.contains("://") || !f.exists()) {
      out.put(path, -1L);
      return out;
    }
    walk(f, f.getAbsolutePath().length(), out, 0);
    return out;
  }

  private static void walk(File f, int prefix, Map<String, Long> out, int depth) {
    if (out.size() > 100_000 || depth > 8) {
      return;
    }
    if (f.isDirectory()) {
      File[] children = f.listFiles();
      if (children != null) {
        for (File c : children) {
          walk(c, prefix, out, depth + 1);
        }
      }
    } else {
      String rel = f.getAbsolutePath().substring(prefix);
      out.put(rel.isEmpty() ? f.getName() : rel, f.length());
    }
  }
}
