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
import org.spdiff.pipelines.experiment.ExperimentSpec.VariantSpec;

/**
 * The stages of one experiment with their content keys (see {@link StageKey}). Pure: computed from
 * the spec (and a fingerprint of the raw data), no I/O on the store.
 *
 * <pre>
 * prepare ─► features ─► refstats
 *    └────► teacher ─► variant[k] ─► generate[k,g] ─► score[k,g] ─► report
 * </pre>
 */
public record Plan(
    ExperimentSpec spec,
    String prepareKey,
    String featuresKey,
    String refKey,
    String teacherKey,
    List<VariantStage> variants,
    List<Cell> cells,
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
  public static final String REPORT = "report";

  /** Bumped when a stage's output format or algorithm changes (invalidates its cache). */
  static final Map<String, Integer> FORMAT =
      Map.of(
          PREPARE, 1,
          FEATURES, 1,
          REFSTATS, 1,
          TEACHER, 1,
          VARIANT, 1,
          GENERATE, 1,
          SCORE, 1,
          REPORT, 1);

  /** One trained arm of the study. */
  public record VariantStage(VariantSpec spec, String key) implements Serializable {}

  /** One row of the table: a variant sampled at one CFG scale. */
  public record Cell(
      String variant, String variantKey, double cfgScale, String generateKey, String scoreKey)
      implements Serializable {

    /** A short label such as {@code sp-uniform @ cfg 3.0}. */
    public String label() {
      return variant + " @ cfg " + cfgScale;
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
    String ref = key(REFSTATS, spec.scoring(), List.of(prepare, features));

    Map<String, Object> teacherParams = new LinkedHashMap<>();
    teacherParams.put("teacher", withoutName(spec.teacher()));
    teacherParams.put("conditional", spec.data().conditional());
    String teacher = key(TEACHER, teacherParams, List.of(prepare));

    List<VariantStage> variants = new ArrayList<>();
    List<Cell> cells = new ArrayList<>();
    for (VariantSpec v : spec.variants()) {
      // The name is a label: renaming a variant does not retrain it.
      Map<String, Object> vp = StageKey.CANONICAL.convertValue(v, TreeMap.class);
      vp.remove("name");
      vp.remove("from");
      if (!v.selfPerceptual()) {
        for (String f : List.of("tPrime", "noisePairing", "layers", "distance", "lambda")) {
          vp.remove(f);
        }
      }
      String vk = key(VARIANT, vp, List.of(teacher));
      variants.add(new VariantStage(v, vk));
      for (double g : spec.generation().cfgScales()) {
        Map<String, Object> gp = StageKey.CANONICAL.convertValue(spec.generation(), TreeMap.class);
        gp.remove("cfgScales");
        gp.remove("shardSize");
        gp.remove("batchSize");
        gp.put("cfgScale", g);
        String gk = key(GENERATE, gp, List.of(vk));
        String sk = key(SCORE, spec.scoring(), List.of(gk, ref, features));
        cells.add(new Cell(v.name(), vk, g, gk, sk));
      }
    }
    Map<String, Object> rp = new LinkedHashMap<>();
    rp.put("name", spec.name());
    rp.put("rows", cells.stream().map(Cell::label).toList());
    String report = key(REPORT, rp, cells.stream().map(Cell::scoreKey).toList());
    return new Plan(
        spec, prepare, features, ref, teacher, List.copyOf(variants), List.copyOf(cells), report);
  }

  /** The variant stage with this name. */
  public VariantStage variant(String name) {
    return variants.stream()
        .filter(v -> v.spec().name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no variant " + name));
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
