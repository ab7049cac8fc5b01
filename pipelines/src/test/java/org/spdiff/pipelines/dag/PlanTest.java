package org.spdiff.pipelines.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spdiff.pipelines.experiment.ExperimentFiles;
import org.spdiff.pipelines.experiment.ExperimentFilesTest;
import org.spdiff.pipelines.experiment.ExperimentSpec;

class PlanTest {

  static Plan plan(String yaml) {
    return Plan.of(ExperimentFiles.parse(yaml, false));
  }

  @Test
  void keyIsStableAndSensitiveToEveryPart() {
    String k = StageKey.of("teacher", Map.of("a", 1, "b", 2), List.of("up"), 1);
    assertEquals(k, StageKey.of("teacher", Map.of("b", 2, "a", 1), List.of("up"), 1));
    assertEquals(20, k.length());
    assertNotEquals(k, StageKey.of("variant", Map.of("a", 1, "b", 2), List.of("up"), 1));
    assertNotEquals(k, StageKey.of("teacher", Map.of("a", 1, "b", 3), List.of("up"), 1));
    assertNotEquals(k, StageKey.of("teacher", Map.of("a", 1, "b", 2), List.of("up2"), 1));
    assertNotEquals(k, StageKey.of("teacher", Map.of("a", 1, "b", 2), List.of("up"), 2));
  }

  @Test
  void oneCellPerVariantAndScaleWithDistinctKeys() {
    Plan p = plan(ExperimentFilesTest.BASE);
    assertEquals(2, p.variants().size());
    assertEquals(4, p.cells().size());
    var keys = new HashSet<String>();
    p.cells().forEach(c -> keys.add(c.generateKey()));
    p.cells().forEach(c -> keys.add(c.scoreKey()));
    assertEquals(8, keys.size());
  }

  @Test
  void addingAVariantKeepsEveryOtherKey() {
    Plan before = plan(ExperimentFilesTest.BASE);
    Plan after =
        plan(
            ExperimentFilesTest.BASE.replace(
                "generation:",
                "  - {name: sp2, objective: self-perceptual, tPrime: 'range(1,500)'}\ngeneration:"));
    assertEquals(before.teacherKey(), after.teacherKey());
    assertEquals(before.refKey(), after.refKey());
    for (int i = 0; i < before.cells().size(); i++) {
      assertEquals(before.cells().get(i).scoreKey(), after.cells().get(i).scoreKey());
    }
    assertEquals(before.cells().size() + 2, after.cells().size());
    assertNotEquals(before.reportKey(), after.reportKey());
  }

  @Test
  void teacherEvaluationIsInTheTeacherKeyOnlyWhenSet() {
    Plan base = plan(ExperimentFilesTest.BASE);
    Plan off =
        plan(
            ExperimentFilesTest.BASE.replace(
                "teacher: {model: tiny, steps: 10}",
                "teacher: {model: tiny, steps: 10, evalEvery: 0, evalSamples: 64}"));
    assertEquals(base.teacherKey(), off.teacherKey(), "unset evaluation keeps the old key");
    String on =
        ExperimentFilesTest.BASE.replace(
            "teacher: {model: tiny, steps: 10}",
            "teacher: {model: tiny, steps: 10, checkpointEvery: 10, evalEvery: 10}");
    Plan evaluated = plan(on);
    assertNotEquals(base.teacherKey(), evaluated.teacherKey());
    assertNotEquals(
        evaluated.teacherKey(),
        plan(on.replace("evalEvery: 10", "evalEvery: 10, evalSteps: 5")).teacherKey());
    // The sample count of a cell changes the reference key, never an evaluated teacher.
    Plan moreSamples = plan(on.replace("samples: 20", "samples: 30"));
    assertNotEquals(evaluated.refKey(), moreSamples.refKey());
    assertEquals(evaluated.teacherKey(), moreSamples.teacherKey());
    // The evaluation samples from the teacher's own seed: the study's generation seed is not in it.
    assertEquals(
        evaluated.teacherKey(),
        plan(on.replace("samples: 20", "samples: 20, seed: 99")).teacherKey());
  }

  @Test
  void aSweptControlPairsEachVariantWithTheArmOfItsStageTwoLength() {
    String yaml =
        ExperimentFilesTest.BASE
            .replace(
                "- {name: mse, objective: mse}",
                "- {name: mse, objective: mse, sweep: {steps: [4, 8]}}")
            .replace(
                "- {name: sp, objective: self-perceptual, tPrime: uniform}",
                "- {name: sp, objective: self-perceptual, sweep: {steps: [4, 8]}}")
            .replace("name: t\n", "name: t\ncontrol: mse\n");
    Plan p = plan(yaml);
    // 2 sp arms x 2 CFG scales, each against the mse arm of the same length.
    assertEquals(4, p.comparisons().size());
    for (Plan.Comparison c : p.comparisons()) {
      String steps = c.variant().variant().replace("sp", "");
      assertEquals("mse" + steps, c.control().variant(), c.label());
    }
  }

  @Test
  void renamingAVariantDoesNotRetrainIt() {
    Plan a = plan(ExperimentFilesTest.BASE);
    Plan b = plan(ExperimentFilesTest.BASE.replace("name: sp,", "name: renamed,"));
    assertEquals(a.variant("sp").key(), b.variant("renamed").key());
  }

  @Test
  void teacherChangeInvalidatesEverythingDownstream() {
    Plan a = plan(ExperimentFilesTest.BASE);
    Plan b = plan(ExperimentFilesTest.BASE.replace("steps: 10}", "steps: 11}"));
    assertNotEquals(a.teacherKey(), b.teacherKey());
    assertNotEquals(a.variant("mse").key(), b.variant("mse").key());
    assertEquals(a.refKey(), b.refKey());
  }

  @Test
  void generationChangeKeepsTraining() {
    ExperimentSpec s = ExperimentFiles.parse(ExperimentFilesTest.BASE, false);
    Plan a = Plan.of(s);
    Plan b = plan(ExperimentFilesTest.BASE.replace("samples: 20", "samples: 40"));
    assertEquals(a.variant("sp").key(), b.variant("sp").key());
    assertNotEquals(a.cells().get(0).generateKey(), b.cells().get(0).generateKey());
  }

  /**
   * The precision is part of the generation key, except fp32 (the default), which leaves the keys
   * of studies written before the field existed as they were: the setting's key parameters are then
   * exactly the old four.
   */
  @Test
  void precisionIsPartOfTheGenerationKeyButFp32KeepsOldKeys() {
    Plan fp32 = plan(ExperimentFilesTest.BASE);
    Plan explicit =
        plan(ExperimentFilesTest.BASE.replace("samples: 20,", "samples: 20, precision: fp32,"));
    Plan fp16 =
        plan(ExperimentFilesTest.BASE.replace("samples: 20,", "samples: 20, precision: fp16,"));
    assertEquals(fp32.cells().get(0).generateKey(), explicit.cells().get(0).generateKey());
    assertNotEquals(fp32.cells().get(0).generateKey(), fp16.cells().get(0).generateKey());
    assertEquals(fp32.variant("sp").key(), fp16.variant("sp").key(), "not retrained");
    assertEquals(
        java.util.Set.of("sampler", "steps", "spacing", "eta"),
        Plan.settingParams(fp32.cells().get(0).setting()).keySet());
    assertEquals("fp16", Plan.settingParams(fp16.cells().get(0).setting()).get("precision"));
  }

  @Test
  void nullClassSettingAddsCellsAtCfgZeroAndKeepsEveryClassKey() {
    Plan before = plan(ExperimentFilesTest.BASE);
    Plan after =
        plan(
            ExperimentFilesTest.BASE.replace(
                "samples: 20,", "samples: 20, labels: [class, none],"));
    assertEquals(before.teacherKey(), after.teacherKey());
    assertEquals(before.variant("sp").key(), after.variant("sp").key(), "not retrained");
    var classCells = after.cells().stream().filter(c -> !c.setting().unconditional()).toList();
    assertEquals(before.cells().size(), classCells.size());
    for (int i = 0; i < classCells.size(); i++) {
      assertEquals(before.cells().get(i).generateKey(), classCells.get(i).generateKey());
      assertEquals(before.cells().get(i).scoreKey(), classCells.get(i).scoreKey());
    }
    // cfgScales [0, 2]: the null-class setting has no class to guide towards, so CFG 0 only.
    var nullCells = after.cells().stream().filter(c -> c.setting().unconditional()).toList();
    assertEquals(2, nullCells.size());
    nullCells.forEach(c -> assertEquals(0.0, c.cfgScale()));
    assertEquals("ddim-50-uncond", nullCells.get(0).setting().label());
    assertEquals("none", Plan.settingParams(nullCells.get(0).setting()).get("labels"));
    assertNotEquals(
        before.cells().get(0).generateKey(),
        nullCells.get(0).generateKey(),
        "the same model and noise given the null class is another sample set");
    // Each arm's null-class row is compared with the control's null-class row.
    var nullComparisons =
        after.comparisons().stream().filter(c -> c.variant().setting().unconditional()).toList();
    assertEquals(1, nullComparisons.size());
    assertEquals("mse", nullComparisons.get(0).control().variant());
    assertEquals(
        nullComparisons.get(0).variant().setting(), nullComparisons.get(0).control().setting());
    assertEquals(before.comparisons().size() + 1, after.comparisons().size());
  }

  @Test
  void resizeIsPartOfEveryInceptionScoreKeyButNotOfADomainStudy() {
    String inception = ExperimentFilesTest.BASE + "features: {network: inception}\n";
    Plan legacy = plan(inception);
    Plan clean = plan(inception.replace("inception}", "inception, resize: clean}"));
    assertNotEquals(legacy.featuresKey(), clean.featuresKey());
    assertNotEquals(legacy.refKey(), clean.refKey());
    for (int i = 0; i < legacy.cells().size(); i++) {
      assertNotEquals(legacy.cells().get(i).scoreKey(), clean.cells().get(i).scoreKey());
      assertEquals(legacy.cells().get(i).generateKey(), clean.cells().get(i).generateKey());
    }
    assertEquals(legacy.teacherKey(), clean.teacherKey());
    // the domain network does not resize: the field leaves its keys alone
    String domain = ExperimentFilesTest.BASE + "features: {network: domain}\n";
    assertEquals(
        plan(domain).featuresKey(),
        plan(domain.replace("domain}", "domain, resize: clean}")).featuresKey());
    // downloaded weights and a named file are different keys
    assertNotEquals(
        legacy.featuresKey(),
        plan(inception.replace("inception}", "inception, inceptionWeights: /w.pth}"))
            .featuresKey());
  }

  @Test
  void replicatesTrainWithDerivedSeedsAndRaisingKTrainsOnlyTheNewOnes() {
    Plan one = plan(ExperimentFilesTest.BASE);
    Plan three = plan("replicates: 3\n" + ExperimentFilesTest.BASE);
    assertEquals(2 * 3, three.variants().size());
    assertEquals(2 * 3 * 2, three.cells().size());
    assertEquals(2 * 2, three.rows().size(), "a row per variant and CFG scale");
    assertEquals(3, three.rows().get(0).replicates().size());
    // Replicate 0 is the one-replicate study's model: raising K keeps it.
    assertEquals(one.variant("sp").key(), three.variant("sp", 0).key());
    assertEquals(one.cells().get(0).scoreKey(), three.rows().get(0).replicates().get(0).scoreKey());
    var keys = new HashSet<String>();
    three.variants().forEach(v -> keys.add(v.key()));
    assertEquals(6, keys.size(), "every replicate has its own key");
    // Replicate r of every arm has the same seed (paired by seed), different across r.
    assertEquals(three.variant("mse", 2).seed(), three.variant("sp", 2).seed());
    assertNotEquals(three.variant("sp", 1).seed(), three.variant("sp", 2).seed());
    assertEquals(Replicates.seed(2, 1), three.variant("sp", 1).seed());
  }

  @Test
  void replicatesOverriddenPerVariantPairTheCommonOnes() {
    Plan p =
        plan(
            "replicates: 2\n"
                + ExperimentFilesTest.BASE.replace(
                    "tPrime: uniform}", "tPrime: uniform, replicates: 3}"));
    assertEquals(2 + 3, p.variants().size());
    assertEquals(2, p.comparisons().size(), "sp vs mse at CFG 0 and 2");
    Plan.Comparison c = p.comparisons().get(0);
    assertEquals("sp", c.variant().variant());
    assertEquals("mse", c.control().variant());
    assertEquals(2, c.pairs());
    assertEquals(0.0, c.variant().cfgScale());
    assertEquals(c.variant().cfgScale(), c.control().cfgScale());
  }

  @Test
  void samplingSettingsMultiplyCellsAndKeepTraining() {
    Plan a = plan(ExperimentFilesTest.BASE);
    Plan b =
        plan(
            ExperimentFilesTest.BASE.replace(
                "samples: 20,", "samples: 20, sampler: [ddim, ddpm], steps: [10, 20],"));
    assertEquals(a.variant("sp").key(), b.variant("sp").key());
    assertEquals(4 * 4, b.cells().size());
    assertEquals(2 * 4 * 2, b.rows().size());
    var keys = new HashSet<String>();
    b.cells().forEach(c -> keys.add(c.scoreKey()));
    assertEquals(16, keys.size());
    assertEquals(4 * 2, b.comparisons().size(), "one per setting and CFG scale");
  }

  @Test
  void comparisonKeysFollowTheirCells() {
    Plan a = plan(ExperimentFilesTest.BASE);
    Plan b = plan(ExperimentFilesTest.BASE.replace("samples: 20", "samples: 40"));
    assertNotEquals(a.comparisons().get(0).key(), b.comparisons().get(0).key());
    Plan c = plan(ExperimentFilesTest.BASE.replace("isSplits: 2}", "isSplits: 2, folds: 20}"));
    assertNotEquals(a.cells().get(0).scoreKey(), c.cells().get(0).scoreKey(), "folds: rescored");
    assertNotEquals(a.comparisons().get(0).key(), c.comparisons().get(0).key());
    assertEquals(a.cells().get(0).generateKey(), c.cells().get(0).generateKey(), "not resampled");
  }

  /**
   * Studies whose headers say they reuse another's teacher do: the same teacher key, so the second
   * study finds it complete in a shared store instead of training it again.
   */
  @Test
  void shippedStudiesShareTheTeachersTheySayTheyShare() throws Exception {
    Map<String, String> key = new java.util.TreeMap<>();
    for (Path f : ExperimentFilesTest.shippedExperiments()) {
      key.put(f.getFileName().toString(), Plan.of(ExperimentFiles.load(f)).teacherKey());
    }
    assertEquals(key.get("demo.yaml"), key.get("precision.yaml"), "precision.yaml");
    assertEquals(key.get("demo.yaml"), key.get("solvers.yaml"), "solvers.yaml");
    assertEquals(
        key.get("fmnist-verdict.yaml"), key.get("fmnist-tprime.yaml"), "fmnist-tprime.yaml");
    assertNotEquals(
        key.get("fmnist-verdict.yaml"), key.get("fmnist-verdict-uncond.yaml"), "labels differ");
  }
}
