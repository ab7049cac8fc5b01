package org.spdiff.pipelines.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
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

  @Test
  void shippedExperimentsAreValid() {
    Path dir = Path.of(System.getProperty("user.dir")).getParent().resolve("experiments");
    for (String f :
        List.of(
            "demo.yaml",
            "tiny.yaml",
            "fmnist-uncond.yaml",
            "fmnist-full.yaml",
            "cifar10-gpu.yaml")) {
      ExperimentSpec s = ExperimentFiles.load(dir.resolve(f));
      assertTrue(s.variants().size() >= 1, f);
    }
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
}
