package org.spdiff.pipelines.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.spdiff.pipelines.experiment.ExperimentFiles;
import org.spdiff.pipelines.experiment.ExperimentFilesTest;
import org.spdiff.pipelines.experiment.ExperimentSpec;

/** The evaluation card says how images reached the feature network: the study's resize. */
class CardsTest {
  static ExperimentSpec spec(String features) {
    return ExperimentFiles.parse(ExperimentFilesTest.BASE + features, false);
  }

  @Test
  void resizeIsTheStudysFeaturesResizeForInception() {
    String legacy = Cards.resize(spec("features: {network: inception}\n"));
    assertTrue(legacy.startsWith("legacy-pytorch (") && legacy.contains("bilinear"), legacy);
    String clean = Cards.resize(spec("features: {network: inception, resize: clean}\n"));
    assertTrue(clean.startsWith("clean (") && clean.contains("bicubic"), clean);
  }

  @Test
  void theDomainClassifierDoesNotResize() {
    assertEquals(
        "none (the domain classifier runs at the data's resolution)",
        Cards.resize(spec("features: {network: domain, resize: clean}\n")));
  }
}
