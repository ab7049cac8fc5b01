package org.spdiff.pipelines.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.spdiff.core.loss.Distance;
import org.spdiff.core.loss.NoisePairing;
import org.spdiff.core.loss.SelfPerceptualConfig;
import org.spdiff.core.model.FeatureLayers;
import org.spdiff.core.sampling.SamplerConfig;
import org.spdiff.core.train.TrainConfig;
import org.spdiff.metrics.inception.ResizeMethod;
import org.spdiff.metrics.prdc.PrdcReference;
import org.spdiff.pipelines.experiment.ExperimentSpec.DataSpec;
import org.spdiff.pipelines.experiment.ExperimentSpec.FeatureSpec;
import org.spdiff.pipelines.experiment.ExperimentSpec.GenerationSpec;
import org.spdiff.pipelines.experiment.ExperimentSpec.SamplingSetting;
import org.spdiff.pipelines.experiment.ExperimentSpec.ScheduleSpec;
import org.spdiff.pipelines.experiment.ExperimentSpec.ScoringSpec;
import org.spdiff.pipelines.experiment.ExperimentSpec.TeacherSpec;
import org.spdiff.pipelines.experiment.ExperimentSpec.VariantSpec;

/**
 * Reads an experiment file (YAML or JSON) into a validated {@link ExperimentSpec}.
 *
 * <p>Every field is checked here, before any work starts: unknown fields, wrong types, values out
 * of range, unknown samplers, duplicate variant names and variants naming a missing teacher fail
 * with an {@link ExperimentException} whose message is {@code <file>: <field path>: <reason>}.
 *
 * <p>A variant may carry {@code sweep: {axis: [v1, v2, ...], ...}}; it expands into the cartesian
 * product of its axes, one variant per combination, named {@code name[axis=v1,...]}.
 *
 * <p>The study names its {@code control} (default: the one variant with objective {@code mse});
 * {@code replicates: K} (study level, overridable per variant) trains every arm K times with
 * derived seeds. {@code generation.sampler}, {@code steps}, {@code spacing}, {@code eta} and {@code
 * precision} take one value or a list (their product), or {@code generation.settings} lists the
 * combinations explicitly.
 *
 * <p>Defaults shared with the core library (one default per setting): the noise schedule, zero
 * terminal SNR and the EMA decay come from {@link TrainConfig}, x0 clipping from {@link
 * SamplerConfig}.
 */
public final class ExperimentFiles {

  static final Set<String> OBJECTIVES = Set.of("mse", "self-perceptual");
  static final Set<String> PAIRINGS = Set.of("predicted", "shared-fresh", "true");
  static final Set<String> LAYERS = Set.of("mid", "encoder", "all");
  static final Set<String> DISTANCES = Set.of("mse", "l1");
  static final Set<String> PARAMETERIZATIONS = Set.of("eps", "v", "x0");
  static final Set<String> SCHEDULES = Set.of("linear", "cosine", "scaled-linear");
  static final Set<String> SAMPLERS = Set.copyOf(SamplerConfig.SAMPLERS);
  static final Set<String> SPACINGS = Set.of("leading", "linspace", "trailing", "karras");
  static final Set<String> PRECISIONS = Set.of("fp32", "bf16", "fp16");
  static final Set<String> LABELS = Set.of(SamplingSetting.CLASS_LABELS, SamplingSetting.NO_LABELS);
  static final Set<String> NETWORKS = Set.of("domain", "inception");
  static final Set<String> FORMATS = Set.of("auto", "idx", "images", "cifar10");
  static final Set<String> SWEEP_AXES =
      Set.of(
          "t",
          "tPrime",
          "noisePairing",
          "layers",
          "distance",
          "lambda",
          "lr",
          "steps",
          "seed",
          "objective");

  private ExperimentFiles() {}

  /** Reads and validates a file; {@code .json} is JSON, anything else YAML. */
  public static ExperimentSpec load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ExperimentException(file + ": cannot read the experiment file (" + e + ")");
    }
    try {
      return parse(text, file.getFileName().toString().endsWith(".json"));
    } catch (ExperimentException e) {
      throw new ExperimentException(file + ": " + e.getMessage());
    }
  }

  /** Parses and validates experiment text. */
  public static ExperimentSpec parse(String text, boolean json) {
    JsonNode root;
    try {
      ObjectMapper mapper = json ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
      root = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ExperimentException(
          "not valid " + (json ? "JSON" : "YAML") + ": " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ExperimentException("the experiment must be a mapping at the top level");
    }
    ConfigNode top = new ConfigNode(root, "");
    String name = top.string("name", null);
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw top.error("name", "use letters, digits, '.', '_' and '-' only, got '" + name + "'");
    }
    DataSpec data = data(top.object("data", true));
    FeatureSpec features = features(top.object("features", false));
    TeacherSpec teacher = teacher(top.object("teacher", true));
    int replicates = top.integer("replicates", 1, 1, MAX_REPLICATES);
    List<VariantSpec> variants = new ArrayList<>();
    List<ConfigNode> variantNodes = top.list("variants", true);
    if (variantNodes.isEmpty()) {
      throw top.error("variants", "needs at least one variant");
    }
    Set<String> names = new HashSet<>();
    for (ConfigNode v : variantNodes) {
      for (VariantSpec spec : variants(v, teacher, replicates)) {
        if (!names.add(spec.name())) {
          throw v.error("name", "duplicate variant name '" + spec.name() + "'");
        }
        variants.add(spec);
      }
    }
    String control = control(top, variants);
    GenerationSpec generation = generation(top.object("generation", true), data, teacher);
    ScoringSpec scoring = scoring(top.object("scoring", false), generation);
    String store = top.string("store", "store");
    if (store.isBlank()) {
      throw top.error("store", "must be a local path or gs://bucket/path, got an empty value");
    }
    top.rejectUnknown();
    return new ExperimentSpec(
        name, data, features, teacher, List.copyOf(variants), control, generation, scoring, store);
  }

  /** The most training replicates an arm may ask for. */
  static final int MAX_REPLICATES = 64;

  /**
   * The control arm: {@code control: <variant name>} (after sweep expansion), or the one variant
   * with objective {@code mse}.
   */
  private static String control(ConfigNode top, List<VariantSpec> variants) {
    List<String> names = variants.stream().map(VariantSpec::name).toList();
    if (top.has("control")) {
      String c = top.string("control", null);
      List<VariantSpec> arms =
          variants.stream().filter(v -> ExperimentSpec.isControlName(v.name(), c)).toList();
      if (arms.isEmpty()) {
        throw top.error("control", "names no variant: '" + c + "' (variants: " + names + ")");
      }
      if (arms.size() > 1) {
        // A swept control: each variant is compared with the control arm of its stage-2 length.
        for (VariantSpec v : variants) {
          long same = arms.stream().filter(a -> a.steps() == v.steps()).count();
          if (!ExperimentSpec.isControlName(v.name(), c) && same != 1) {
            throw top.error(
                "control",
                "'"
                    + c
                    + "' has "
                    + arms.size()
                    + " arms; each variant is compared with the one trained for as many steps,"
                    + " but variant "
                    + v.name()
                    + " ("
                    + v.steps()
                    + " steps) has "
                    + same
                    + " (control arms: "
                    + arms.stream().map(a -> a.name() + " " + a.steps() + " steps").toList()
                    + ")");
          }
        }
      }
      return c;
    }
    top.string("control", "");
    List<String> mse =
        variants.stream().filter(v -> !v.selfPerceptual()).map(VariantSpec::name).toList();
    if (mse.size() == 1) {
      return mse.get(0);
    }
    if (variants.size() == 1) {
      return variants.get(0).name();
    }
    throw top.error(
        "control",
        (mse.isEmpty()
                ? "no variant has objective 'mse'"
                : "several variants have objective 'mse' " + mse)
            + ": name the control arm every other variant is compared with (one of "
            + names
            + ")");
  }

  private static DataSpec data(ConfigNode n) {
    DataSpec d =
        new DataSpec(
            n.string("source", null),
            n.choice("format", "auto", FORMATS),
            n.integer("resolution", 28, 8, 1024),
            n.integer("channels", 1, 1, 3),
            n.integer("limit", 0, 0, Integer.MAX_VALUE),
            n.bool("conditional", true));
    if (d.channels() == 2) {
      throw n.error("channels", "must be 1 or 3, got 2");
    }
    n.rejectUnknown();
    return d;
  }

  private static FeatureSpec features(ConfigNode n) {
    FeatureSpec f =
        new FeatureSpec(
            n.choice("network", "domain", NETWORKS),
            n.string("inceptionWeights", ""),
            n.integer("classifierEpochs", 3, 1, 1000),
            n.integer("classifierSeed", 7L, 0, Long.MAX_VALUE),
            n.number("minAccuracy", 0.0, 0, 1),
            n.integer("batchSize", 250, 1, 100_000),
            n.choice("resize", ResizeMethod.LEGACY_PYTORCH.id(), Set.copyOf(ResizeMethod.ids())));
    n.rejectUnknown();
    return f;
  }

  /** The trainer reports progress every 10 steps; the teacher is evaluated at such a report. */
  static final int EVAL_GRAIN = 10;

  private static TeacherSpec teacher(ConfigNode n) {
    ConfigNode s = n.object("schedule", false);
    ScheduleSpec schedule =
        new ScheduleSpec(
            s.choice("name", TrainConfig.DEFAULT_SCHEDULE, SCHEDULES),
            s.integer("timesteps", TrainConfig.DEFAULT_TIMESTEPS, 2, 100_000),
            s.bool("zeroTerminalSnr", TrainConfig.DEFAULT_ZERO_TERMINAL_SNR));
    s.rejectUnknown();
    int steps = n.requiredInt("steps", 1, Integer.MAX_VALUE);
    TeacherSpec t =
        new TeacherSpec(
            n.string("name", "teacher"),
            n.string("model", null),
            schedule,
            n.choice("parameterization", "v", PARAMETERIZATIONS),
            steps,
            n.integer("batchSize", 64, 1, 1 << 20),
            n.number("lr", 2e-4, 1e-12, 10),
            n.integer("warmupSteps", 0, 0, Integer.MAX_VALUE),
            n.number("gradClip", 1.0, 0, 1e9),
            n.number("emaDecay", TrainConfig.DEFAULT_EMA_DECAY, 0, 1),
            n.number("condDropout", 0.1, 0, 1),
            n.number("minSnrGamma", 0.0, 0, 1e6),
            n.integer("seed", 1L, 0, Long.MAX_VALUE),
            n.integer("checkpointEvery", Math.max(1, Math.min(steps, 500)), 1, Integer.MAX_VALUE),
            n.integer("evalEvery", 0, 0, Integer.MAX_VALUE),
            n.integer("evalSamples", 256, 2, 1_000_000),
            n.integer("evalSteps", 10, 1, 10_000));
    if (t.evalEvery() > 0
        && (t.evalEvery() % t.checkpointEvery() != 0 || t.evalEvery() % EVAL_GRAIN != 0)) {
      throw n.error(
          "evalEvery",
          "must be a multiple of checkpointEvery ("
              + t.checkpointEvery()
              + ") and of "
              + EVAL_GRAIN
              + " (the teacher is evaluated on its checkpoints, at its progress reports), got "
              + t.evalEvery());
    }
    if (schedule.zeroTerminalSnr() && t.parameterization().equals("eps")) {
      throw n.error(
          "parameterization",
          "eps-prediction cannot be used with zeroTerminalSnr (the terminal step has no signal);"
              + " use v, or set schedule.zeroTerminalSnr: false");
    }
    Specs.checkModel(n, "model", t.model());
    n.rejectUnknown();
    return t;
  }

  private static List<VariantSpec> variants(ConfigNode n, TeacherSpec teacher, int replicates) {
    ConfigNode sweep = n.object("sweep", false);
    List<Map<String, JsonNode>> combos = new ArrayList<>();
    combos.add(new LinkedHashMap<>());
    if (!sweep.isMissing()) {
      for (Iterator<String> it = sweep.fieldNames(); it.hasNext(); ) {
        String axis = it.next();
        if (!SWEEP_AXES.contains(axis)) {
          throw sweep.error(axis, "cannot be swept (sweepable: " + SWEEP_AXES + ")");
        }
        JsonNode raw = sweep.raw().get(axis);
        if (!raw.isArray() || raw.isEmpty()) {
          throw sweep.error(axis, "must be a non-empty list of values");
        }
        List<JsonNode> values = rejoinParentheses(raw);
        List<Map<String, JsonNode>> next = new ArrayList<>();
        for (Map<String, JsonNode> c : combos) {
          for (JsonNode v : values) {
            Map<String, JsonNode> m = new LinkedHashMap<>(c);
            m.put(axis, v);
            next.add(m);
          }
        }
        combos = next;
      }
    }
    List<VariantSpec> out = new ArrayList<>();
    for (Map<String, JsonNode> combo : combos) {
      ObjectNode merged = ((ObjectNode) n.raw()).deepCopy();
      merged.remove("sweep");
      StringBuilder suffix = new StringBuilder();
      for (Map.Entry<String, JsonNode> e : combo.entrySet()) {
        merged.set(e.getKey(), e.getValue());
        suffix.append(suffix.length() == 0 ? "[" : ",");
        suffix.append(e.getKey()).append('=').append(e.getValue().asText());
      }
      if (suffix.length() > 0) {
        suffix.append(']');
      }
      ConfigNode v = new ConfigNode(merged, n.path());
      v.object("sweep", false);
      out.add(variant(v, teacher, suffix.toString(), replicates));
    }
    return out;
  }

  /**
   * YAML's flow lists split {@code [uniform, range(0,500)]} at the comma inside the parentheses;
   * join such pieces back so the sweep shorthand reads as a user means it.
   */
  static List<JsonNode> rejoinParentheses(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    StringBuilder open = null;
    for (JsonNode e : array) {
      String s = e.asText();
      if (open != null) {
        open.append(',').append(s);
        if (balanced(open)) {
          out.add(
              com.fasterxml.jackson.databind.node.TextNode.valueOf(
                  open.toString().replace(" ", "")));
          open = null;
        }
      } else if (e.isTextual() && !balanced(s)) {
        open = new StringBuilder(s);
      } else {
        out.add(e);
      }
    }
    if (open != null) {
      out.add(com.fasterxml.jackson.databind.node.TextNode.valueOf(open.toString()));
    }
    return out;
  }

  private static boolean balanced(CharSequence s) {
    int depth = 0;
    for (int i = 0; i < s.length(); i++) {
      depth += s.charAt(i) == '(' ? 1 : s.charAt(i) == ')' ? -1 : 0;
    }
    return depth == 0;
  }

  private static VariantSpec variant(
      ConfigNode n, TeacherSpec teacher, String suffix, int replicates) {
    String name = n.string("name", null) + suffix;
    String from = n.string("from", teacher.name());
    if (!from.equals(teacher.name())) {
      throw n.error(
          "from",
          "refers to a missing teacher '" + from + "' (the teacher is '" + teacher.name() + "')");
    }
    String objective = n.choice("objective", null, OBJECTIVES);
    int T = teacher.schedule().timesteps();
    String t = n.string("t", "uniform");
    String tPrime = n.string("tPrime", "uniform");
    Specs.checkTimestepSampler(n, "t", t, T, false);
    Specs.checkTimestepSampler(n, "tPrime", tPrime, T, true);
    VariantSpec v =
        new VariantSpec(
            name,
            from,
            objective,
            n.integer("steps", teacher.steps(), 1, Integer.MAX_VALUE),
            n.integer("batchSize", teacher.batchSize(), 1, 1 << 20),
            n.number("lr", teacher.lr(), 1e-12, 10),
            n.integer("warmupSteps", teacher.warmupSteps(), 0, Integer.MAX_VALUE),
            t,
            tPrime,
            n.choice("noisePairing", "predicted", PAIRINGS),
            n.choice("layers", "mid", LAYERS),
            n.choice("distance", "mse", DISTANCES),
            n.number("lambda", 0.0, 0, 1e6),
            n.integer("seed", teacher.seed() + 1, 0, Long.MAX_VALUE),
            n.integer("replicates", replicates, 1, MAX_REPLICATES));
    if (v.selfPerceptual()) {
      String why =
          new SelfPerceptualConfig(
                  t,
                  tPrime,
                  NoisePairing.parse(v.noisePairing()),
                  FeatureLayers.MID,
                  Distance.MSE,
                  0)
              .degenerate(T);
      if (why != null) {
        throw n.error(n.has("tPrime") ? "tPrime" : "noisePairing", why);
      }
    } else {
      for (String f : List.of("tPrime", "noisePairing", "layers", "distance", "lambda")) {
        if (n.has(f)) {
          throw n.error(f, "only applies to objective 'self-perceptual', not '" + objective + "'");
        }
      }
    }
    n.rejectUnknown();
    return v;
  }

  private static GenerationSpec generation(ConfigNode n, DataSpec data, TeacherSpec teacher) {
    int T = teacher.schedule().timesteps();
    int samples = n.requiredInt("samples", 1, 10_000_000);
    List<Double> scales = n.values("cfgScales", List.of(0.0), ConfigNode::asNumber);
    for (double s : scales) {
      if (!Double.isFinite(s) || s < 0) {
        throw n.error("cfgScales", "each scale must be a finite number >= 0, got " + s);
      }
      if (s > 0 && !data.conditional()) {
        throw n.error(
            "cfgScales",
            "classifier-free guidance (scale "
                + s
                + ") needs a conditional model;"
                + " data.conditional is false");
      }
    }
    if (scales.stream().distinct().count() != scales.size()) {
      throw n.error("cfgScales", "has duplicates: " + scales);
    }
    List<SamplingSetting> settings = settings(n, T);
    if (settings.stream().anyMatch(SamplingSetting::unconditional)) {
      String field = n.has("settings") ? "settings" : "labels";
      if (!data.conditional()) {
        throw n.error(
            field,
            "labels 'none' samples a conditional model with its null class;"
                + " data.conditional is false: the models are unconditional already");
      }
      if (teacher.condDropout() == 0) {
        throw n.error(
            field,
            "labels 'none' needs a model that learned the null class:"
                + " teacher.condDropout is 0 (0.1 is usual)");
      }
      if (!scales.contains(0.0)) {
        throw n.error(
            field,
            "labels 'none' gives every sample the null class, so classifier-free guidance has"
                + " no class to contrast with it: such a setting is sampled at CFG scale 0 only,"
                + " and cfgScales "
                + scales
                + " has no 0");
      }
    }
    GenerationSpec g =
        new GenerationSpec(
            samples,
            settings,
            List.copyOf(scales),
            n.number("guidanceRescale", 0.0, 0, 1),
            n.integer("seed", 1234L, 0, Long.MAX_VALUE),
            n.integer("batchSize", 128, 1, 1 << 20),
            n.integer("shardSize", 500, 1, 1 << 24),
            n.integer("gridSize", 8, 1, 64),
            n.bool("ema", true),
            n.bool("clipX0", SamplerConfig.DEFAULT_CLIP_X0));
    n.rejectUnknown();
    return g;
  }

  /**
   * The sampling settings: {@code settings: [{sampler, steps, spacing, eta, precision}, ...]} (each
   * field may list values: their product), or the product of the top-level {@code sampler}, {@code
   * steps}, {@code spacing}, {@code eta} and {@code precision}. Duplicates are refused.
   */
  private static List<SamplingSetting> settings(ConfigNode n, int T) {
    List<SamplingSetting> out = new ArrayList<>();
    if (n.has("settings")) {
      for (String f : List.of("sampler", "steps", "spacing", "eta", "precision", "labels")) {
        if (n.has(f)) {
          throw n.error(f, "give it inside each entry of generation.settings, not beside it");
        }
      }
      List<ConfigNode> list = n.list("settings", true);
      if (list.isEmpty()) {
        throw n.error("settings", "needs at least one sampling setting");
      }
      for (ConfigNode e : list) {
        if (!e.raw().isObject()) {
          throw e.error("must be a mapping such as {sampler: ddim, steps: 50}");
        }
        out.addAll(settingProduct(e, T));
        e.rejectUnknown();
      }
    } else {
      out.addAll(settingProduct(n, T));
    }
    if (out.stream().distinct().count() != out.size()) {
      throw n.error(
          n.has("settings") ? "settings" : "sampler",
          "lists a sampling setting twice: " + out.stream().map(SamplingSetting::label).toList());
    }
    return List.copyOf(out);
  }

  private static List<SamplingSetting> settingProduct(ConfigNode n, int T) {
    List<String> samplers = n.values("sampler", List.of("ddim"), ConfigNode::text);
    for (String s : samplers) {
      if (!SAMPLERS.contains(s)) {
        throw n.error("sampler", "unknown value '" + s + "' (expected one of " + SAMPLERS + ")");
      }
    }
    List<Double> steps = n.values("steps", List.of(50.0), ConfigNode::asNumber);
    for (double s : steps) {
      if (s != Math.rint(s) || s < 1 || s > T) {
        throw n.error(
            "steps",
            "each value must be an integer in 1.." + T + " (teacher.schedule.timesteps), got " + s);
      }
    }
    List<String> spacings = n.values("spacing", List.of("trailing"), ConfigNode::text);
    for (String s : spacings) {
      if (!SPACINGS.contains(s)) {
        throw n.error("spacing", "unknown value '" + s + "' (expected one of " + SPACINGS + ")");
      }
    }
    List<Double> etas = n.values("eta", List.of(0.0), ConfigNode::asNumber);
    for (double e : etas) {
      if (!(e >= 0 && e <= 1)) {
        throw n.error("eta", "each value must be in [0, 1], got " + e);
      }
    }
    List<String> precisions =
        n.values("precision", List.of(SamplingSetting.FP32), ConfigNode::text);
    for (String p : precisions) {
      if (!PRECISIONS.contains(p)) {
        throw n.error(
            "precision", "unknown value '" + p + "' (expected one of " + PRECISIONS + ")");
      }
    }
    List<String> labels =
        n.values("labels", List.of(SamplingSetting.CLASS_LABELS), ConfigNode::text);
    for (String l : labels) {
      if (!LABELS.contains(l)) {
        throw n.error("labels", "unknown value '" + l + "' (expected one of " + LABELS + ")");
      }
    }
    for (String sampler : samplers) {
      if ((sampler.equals("dpm++2m") || sampler.equals("heun"))
          && etas.stream().anyMatch(e -> e != 0)) {
        throw n.error("eta", "only applies to sampler 'ddim' (" + sampler + " is deterministic)");
      }
    }
    List<SamplingSetting> out = new ArrayList<>();
    for (String sampler : samplers) {
      for (double st : steps) {
        for (String sp : spacings) {
          for (double eta : etas) {
            for (String l : labels) {
              for (String p : precisions) {
                out.add(new SamplingSetting(sampler, (int) st, sp, eta, p, l));
              }
            }
          }
        }
      }
    }
    return out;
  }

  private static ScoringSpec scoring(ConfigNode n, GenerationSpec g) {
    ScoringSpec s =
        new ScoringSpec(
            n.bool("fid", true),
            n.bool("is", true),
            n.bool("kid", true),
            n.integer("isSplits", 10, 1, 1000),
            n.integer("fidSplits", 5, 1, 1000),
            n.integer("kidSubsets", 100, 1, 100_000),
            n.integer("kidSubsetSize", 1000, 2, 1_000_000),
            n.integer("prdcK", 3, 1, 1000),
            n.integer("dcK", 5, 1, 1000),
            n.bool("fidInfinity", true),
            n.bool("perClass", true),
            n.integer("folds", 10, 2, 64),
            n.integer("seed", PrdcReference.DEFAULT_SUBSET_SEED, 0, Long.MAX_VALUE));
    if (s.prdcK() >= g.samples() || s.dcK() >= g.samples()) {
      throw n.error(
          s.prdcK() >= g.samples() ? "prdcK" : "dcK",
          "needs fewer neighbours than generation.samples (" + g.samples() + ")");
    }
    if (s.isSplits() > g.samples()) {
      throw n.error("isSplits", "exceeds generation.samples (" + g.samples() + ")");
    }
    n.rejectUnknown();
    return s;
  }
}
