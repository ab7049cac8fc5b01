package org.spdiff.pipelines.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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
}
