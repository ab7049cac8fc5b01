package org.spdiff.pipelines.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

public class ExperimentFilesTest {

  public static final String BASE =
      """
      name: t
      data: {source: /tmp/none, resolution: 16}
      teacher: {model: tiny, steps: 10}
      variants:
        - {name: mse, objective: mse}
        - {name: sp, objective: self-perceptual, tPrime: uniform}
      generation: {samples: 20, cfgScales: [0, 2]}
      scoring: {isSplits: 2}
      """;

  static ExperimentSpec parse(String yaml) {
    return ExperimentFiles.parse(yaml, false);
  }

  static String error(String yaml) {
    return assertThrows(ExperimentException.class, () -> parse(yaml)).getMessage();
  }

  @Test
  void readsDefaultsAndValues() {
    ExperimentSpec s = parse(BASE);
    assertEquals("t", s.name());
    assertEquals(16, s.data().resolution());
    assertEquals("v", s.teacher().parameterization());
    assertEquals(List.of(0.0, 2.0), s.generation().cfgScales());
    assertEquals(2, s.variants().size());
    assertEquals("predicted", s.variant("sp").noisePairing());
    assertEquals("mid", s.variant("sp").layers());
    assertEquals(10, s.variant("mse").steps(), "variants default to the teacher's steps");
    assertEquals("domain", s.features().network());
  }

  @Test
  void sweepExpandsToTheCartesianProduct() {
    ExperimentSpec s =
        parse(
            BASE.replace(
                "- {name: sp, objective: self-perceptual, tPrime: uniform}",
                "- {name: sp, objective: self-perceptual, sweep: {tPrime: [uniform, 'range(0,500)',"
                    + " 'logit-normal(0,1)'], lambda: [0, 0.5]}}"));
    assertEquals(1 + 6, s.variants().size());
    assertEquals("sp[tPrime=uniform,lambda=0]", s.variants().get(1).name());
    assertEquals("range(0,500)", s.variant("sp[tPrime=range(0,500),lambda=0.5]").tPrime());
    assertEquals(0.5, s.variant("sp[tPrime=range(0,500),lambda=0.5]").lambda());
  }

  @Test
  void sweepShorthandAsTypedInYaml() {
    // The literal form: YAML splits range(0,500) at its comma; the reader joins it back.
    ExperimentSpec s =
        parse(
            BASE.replace(
                "- {name: sp, objective: self-perceptual, tPrime: uniform}",
                "- {name: sp, objective: self-perceptual, sweep: {tPrime: [uniform, range(0,500),"
                    + " range(500,1000), logit-normal(0,1)]}}"));
    assertEquals(
        List.of("uniform", "range(0,500)", "range(500,1000)", "logit-normal(0,1)"),
        s.variants().subList(1, 5).stream().map(ExperimentSpec.VariantSpec::tPrime).toList());
  }

  @Test
  void unknownFieldNamesItsPath() {
    String msg = error(BASE.replace("tPrime: uniform}", "tPrim: uniform}"));
    assertTrue(msg.startsWith("variants[1].tPrim: unknown field"), msg);
  }

  @Test
  void unknownSamplerNamesFieldAndValue() {
    String msg = error(BASE.replace("tPrime: uniform}", "tPrime: unifrom}"));
    assertTrue(msg.contains("variants[1].tPrime") && msg.contains("unifrom"), msg);
  }

  @Test
  void unquotedRangeInAFlowMappingSaysToQuoteIt() {
    String msg = error(BASE.replace("tPrime: uniform}", "tPrime: range(0,500)}"));
    assertTrue(msg.startsWith("variants[1].tPrime: 'range(0' was cut at a comma"), msg);
    assertTrue(msg.contains("quote it, e.g. tPrime: \"range(0,500)\""), msg);
    ExperimentSpec quoted = parse(BASE.replace("tPrime: uniform}", "tPrime: \"range(0,500)\"}"));
    assertTrue(quoted.toString().contains("range(0,500)"), quoted.toString());
  }

  @Test
  void equalTPrimeWithThePredictedPairingIsRefusedBeforeAnyWork() {
    // Both branches would be x_t: the loss is 0 and nothing trains (SelfPerceptualLossTest).
    String msg = error(BASE.replace("tPrime: uniform}", "tPrime: equal}"));
    assertTrue(msg.startsWith("variants[1].tPrime: "), msg);
    assertTrue(msg.contains("'predicted'") && msg.contains("nothing trains"), msg);
    String swept =
        error(
            BASE.replace(
                "- {name: sp, objective: self-perceptual, tPrime: uniform}",
                "- {name: sp, objective: self-perceptual, sweep: {tPrime: [uniform, equal]}}"));
    assertTrue(swept.contains("tPrime") && swept.contains("nothing trains"), swept);
    ExperimentSpec ok =
        parse(BASE.replace("tPrime: uniform}", "tPrime: equal, noisePairing: \"true\"}"));
    assertEquals("equal", ok.variant("sp").tPrime());
    assertEquals("true", ok.variant("sp").noisePairing());
  }

  @Test
  void nullClassLabelsNeedAModelThatLearnedTheNullClass() {
    String gen = "generation: {samples: 20, cfgScales: [0, 2]}";
    ExperimentSpec s =
        parse(
            BASE.replace(
                gen, "generation: {samples: 20, cfgScales: [0, 2], labels: [class, none]}"));
    assertEquals(
        List.of("ddim-50", "ddim-50-uncond"),
        s.generation().settings().stream().map(ExperimentSpec.SamplingSetting::label).toList());
    ExperimentSpec listed =
        parse(
            BASE.replace(
                gen,
                "generation: {samples: 20, settings: [{steps: 10}, {steps: 10, labels: none}]}"));
    assertTrue(listed.generation().settings().get(1).unconditional());
    String unknown = error(BASE.replace(gen, "generation: {samples: 20, labels: nul}"));
    assertTrue(unknown.startsWith("generation.labels: unknown value 'nul'"), unknown);
    String uncond =
        error(
            BASE.replace("resolution: 16}", "resolution: 16, conditional: false}")
                .replace(gen, "generation: {samples: 20, labels: none}"));
    assertTrue(
        uncond.contains("generation.labels") && uncond.contains("unconditional already"), uncond);
    String neverDropped =
        error(
            BASE.replace("steps: 10}", "steps: 10, condDropout: 0}")
                .replace(gen, "generation: {samples: 20, labels: none}"));
    assertTrue(neverDropped.contains("teacher.condDropout is 0"), neverDropped);
    String guidedOnly =
        error(BASE.replace(gen, "generation: {samples: 20, cfgScales: [2], labels: none}"));
    assertTrue(guidedOnly.contains("CFG scale 0 only") && guidedOnly.contains("[2.0]"), guidedOnly);
  }

  @Test
  void negativeStepsFail() {
    String msg = error(BASE.replace("steps: 10", "steps: -3"));
    assertTrue(msg.startsWith("teacher.steps: must be in 1.."), msg);
  }

  @Test
  void missingTeacherIsNamed() {
    String msg =
        error(
            BASE.replace(
                "{name: mse, objective: mse}", "{name: mse, objective: mse, from: other}"));
    assertTrue(msg.contains("variants[0].from") && msg.contains("missing teacher 'other'"), msg);
  }

  @Test
  void duplicateVariantNamesFail() {
    String msg = error(BASE.replace("name: sp,", "name: mse,"));
    assertTrue(msg.contains("duplicate variant name 'mse'"), msg);
  }

  @Test
  void cfgNeedsAConditionalModel() {
    String msg = error(BASE.replace("resolution: 16}", "resolution: 16, conditional: false}"));
    assertTrue(msg.startsWith("generation.cfgScales:") && msg.contains("conditional"), msg);
  }

  @Test
  void perceptualAxesOnMseVariantFail() {
    String msg =
        error(
            BASE.replace(
                "{name: mse, objective: mse}", "{name: mse, objective: mse, layers: all}"));
    assertTrue(msg.startsWith("variants[0].layers: only applies"), msg);
  }

  @Test
  void unknownModelPresetFails() {
    String msg = error(BASE.replace("model: tiny", "model: huge"));
    assertTrue(msg.startsWith("teacher.model: unknown model preset 'huge'"), msg);
  }

  @Test
  void badYamlAndWrongTypesFail() {
    assertTrue(error("name: [").startsWith("not valid YAML"));
    String msg = error(BASE.replace("samples: 20", "samples: many"));
    assertTrue(msg.startsWith("generation.samples: must be an integer"), msg);
  }

  /** Every study shipped in {@code experiments/} parses and validates (a new file is included). */
  @Test
  void shippedExperimentsAreValid() throws IOException {
    List<Path> files = shippedExperiments();
    assertTrue(files.size() >= 10, "experiments/ holds " + files);
    for (Path f : files) {
      ExperimentSpec s = ExperimentFiles.load(f);
      assertTrue(s.variants().size() >= 1, f.toString());
    }
  }

  /** The {@code *.yaml} files of the project's {@code experiments/} folder, sorted. */
  public static List<Path> shippedExperiments() throws IOException {
    Path dir = Path.of(System.getProperty("user.dir")).getParent().resolve("experiments");
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @Test
  void teacherEvaluationIsOffByDefaultAndOnlyOnCheckpoints() {
    assertEquals(0, parse(BASE).teacher().evalEvery());
    ExperimentSpec s =
        parse(
            BASE.replace(
                "teacher: {model: tiny, steps: 10}",
                "teacher: {model: tiny, steps: 45, checkpointEvery: 10, evalEvery: 20}"));
    assertEquals(256, s.teacher().evalSamples());
    assertEquals(List.of(20L, 40L, 45L), s.teacher().evalAt(45));
    assertEquals(List.of(20L), s.teacher().evalAt(39), "an interrupted run: up to its step");
    String msg =
        error(
            BASE.replace(
                "teacher: {model: tiny, steps: 10}",
                "teacher: {model: tiny, steps: 100, checkpointEvery: 20, evalEvery: 30}"));
    assertTrue(msg.startsWith("teacher.evalEvery: must be a multiple of checkpointEvery"), msg);
  }

  @Test
  void aSweptControlNeedsAnArmOfEveryVariantsLength() {
    String yaml =
        "control: mse\n"
            + BASE.replace(
                    "- {name: mse, objective: mse}",
                    "- {name: mse, objective: mse, sweep: {steps: [4, 8]}}")
                .replace("tPrime: uniform}", "tPrime: uniform, steps: 5}");
    String msg = error(yaml);
    assertTrue(msg.startsWith("control: 'mse' has 2 arms"), msg);
    assertTrue(msg.contains("variant sp (5 steps) has 0"), msg);
    ExperimentSpec ok = parse(yaml.replace("steps: 5}", "steps: 8}"));
    assertEquals("mse[steps=8]", ok.controlFor(ok.variant("sp")).name());
  }

  @Test
  void missingFileIsNamed() {
    String msg =
        assertThrows(ExperimentException.class, () -> ExperimentFiles.load(Path.of("/nope.yaml")))
            .getMessage();
    assertTrue(msg.startsWith("/nope.yaml: cannot read"), msg);
  }

  @Test
  void featuresResizeIsValidatedAndDefaultsToPytorchFids() {
    assertEquals("legacy-pytorch", parse(BASE).features().resize());
    ExperimentSpec clean = parse(BASE + "features: {network: inception, resize: clean}\n");
    assertEquals("clean", clean.features().resize());
    assertEquals("", clean.features().inceptionWeights(), "no weights: downloaded on first use");
    String msg = error(BASE + "features: {network: inception, resize: bicubic}\n");
    assertTrue(
        msg.startsWith("features.resize: unknown value 'bicubic'") && msg.contains("clean"), msg);
  }

  @Test
  void controlDefaultsToTheOneMseVariantAndIsValidated() {
    assertEquals("mse", parse(BASE).control());
    assertEquals("sp", parse("control: sp\n" + BASE).control());
    assertTrue(
        error("control: nope\n" + BASE).startsWith("control: names no variant: 'nope'"),
        error("control: nope\n" + BASE));
    String twoMse = BASE.replace("- {name: sp,", "- {name: mse2, objective: mse}\n  - {name: sp,");
    assertTrue(
        error(twoMse).contains("control: several variants have objective 'mse'"), error(twoMse));
    assertEquals("mse2", parse("control: mse2\n" + twoMse).control());
    String noMse =
        BASE.replace("- {name: mse, objective: mse}", "- {name: sp0, objective: self-perceptual}");
    assertTrue(error(noMse).contains("control: no variant has objective 'mse'"), error(noMse));
  }

  @Test
  void replicatesAtStudyLevelAndPerVariant() {
    assertEquals(1, parse(BASE).variant("sp").replicates());
    ExperimentSpec s =
        parse(
            "replicates: 3\n"
                + BASE.replace("tPrime: uniform}", "tPrime: uniform, replicates: 2}"));
    assertEquals(3, s.variant("mse").replicates());
    assertEquals(2, s.variant("sp").replicates());
    assertTrue(error("replicates: 0\n" + BASE).startsWith("replicates: must be in 1..64"));
  }

  @Test
  void samplingSettingsAreAProductOrAList() {
    ExperimentSpec s =
        parse(BASE.replace("samples: 20,", "samples: 20, sampler: [ddim, ddpm], steps: [10, 20],"));
    assertEquals(4, s.generation().settings().size());
    assertEquals("ddim-10", s.generation().settings().get(0).label());
    assertEquals("ddpm-20", s.generation().settings().get(3).label());
    ExperimentSpec t =
        parse(
            BASE.replace(
                "generation: {samples: 20,",
                "generation: {samples: 20, settings: [{sampler: ddim, steps: 50},"
                    + " {sampler: ddpm, steps: [10, 20], spacing: leading}],"));
    assertEquals(3, t.generation().settings().size());
    assertEquals("ddpm-10-leading", t.generation().settings().get(1).label());
    assertTrue(
        error(BASE.replace("samples: 20,", "samples: 20, steps: [10, 10],"))
            .contains("lists a sampling setting twice"));
    assertTrue(
        error(BASE.replace("samples: 20,", "samples: 20, steps: [10, 2.5],"))
            .startsWith("generation.steps: each value must be an integer"));
    assertTrue(
        error(BASE.replace("samples: 20,", "samples: 20, settings: [{sampler: ddim, stepz: 5}],"))
            .startsWith("generation.settings[0].stepz:"));
    assertTrue(
        error(BASE.replace("samples: 20,", "samples: 20, steps: 5, settings: [{sampler: ddim}],"))
            .startsWith("generation.steps: give it inside each entry"));
  }

  /**
   * The solvers, Karras spacing and the precision are sampling axes like the others; every bad
   * value is refused with its field path.
   */
  @Test
  void solverSpacingAndPrecisionAxes() {
    ExperimentSpec s =
        parse(
            BASE.replace(
                "samples: 20,",
                "samples: 20, sampler: [dpm++2m, heun], steps: [10, 20], spacing: karras,"
                    + " precision: [fp32, fp16],"));
    assertEquals(8, s.generation().settings().size());
    assertEquals("dpm++2m-10-karras", s.generation().settings().get(0).label());
    assertEquals("dpm++2m-10-karras-fp16", s.generation().settings().get(1).label());
    assertEquals("fp16", s.generation().settings().get(7).precision());
    assertEquals("heun-20-karras-fp16", s.generation().settings().get(7).label());
    assertEquals(
        "ddim-50-bf16",
        parse(BASE.replace("samples: 20,", "samples: 20, precision: bf16,"))
            .generation()
            .settings()
            .get(0)
            .label());
    assertTrue(
        error(BASE.replace("samples: 20,", "samples: 20, precision: fp8,"))
            .startsWith("generation.precision: unknown value 'fp8'"));
    assertTrue(
        error(BASE.replace("samples: 20,", "samples: 20, sampler: dpm++3m,"))
            .startsWith("generation.sampler: unknown value 'dpm++3m'"));
    assertTrue(
        error(BASE.replace("samples: 20,", "samples: 20, sampler: heun, eta: 1,"))
            .startsWith("generation.eta: only applies to sampler 'ddim'"));
    assertTrue(
        error(BASE.replace("samples: 20,", "samples: 20, steps: 1001,"))
            .startsWith("generation.steps: each value must be an integer in 1..1000"));
    assertTrue(
        error(
                BASE.replace(
                    "samples: 20,", "samples: 20, settings: [{sampler: heun, precision: int8}],"))
            .startsWith("generation.settings[0].precision: unknown value 'int8'"));
  }

  /** One default per setting: the experiment file's defaults are the core library's. */
  @Test
  void defaultsAreTheCoreLibrarysDefaults() {
    ExperimentSpec s = parse(BASE);
    var core = org.spdiff.core.train.TrainConfig.builder().build();
    assertEquals(core.schedule(), s.teacher().schedule().name());
    assertEquals(core.zeroTerminalSnr(), s.teacher().schedule().zeroTerminalSnr());
    assertEquals(core.T(), s.teacher().schedule().timesteps());
    assertEquals(core.emaDecay(), s.teacher().emaDecay());
    assertEquals(org.spdiff.core.sampling.SamplerConfig.ddim(10).clipX0(), s.generation().clipX0());
    assertEquals(org.spdiff.core.sampling.SamplerConfig.DEFAULT_CLIP_X0, s.generation().clipX0());
  }
}
