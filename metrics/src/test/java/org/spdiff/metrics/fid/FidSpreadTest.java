package org.spdiff.metrics.fid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spdiff.metrics.stats.FeatureStats;
import org.spdiff.metrics.stats.SplitScore;

class FidSpreadTest {

  @Test
  void splitsSeparateAShiftedConfigurationFromTheSameOne() {
    FrechetEngine engine = new CommonsMathEngine();
    FrechetReference ref =
        FrechetReference.of(FeatureStats.of(FrechetDistanceTest.rows(1, 2000, 6, 0)), engine);
    List<FeatureStats> same = FidSpread.split(FrechetDistanceTest.rows(2, 1000, 6, 0), 5);
    List<FeatureStats> shifted = FidSpread.split(FrechetDistanceTest.rows(2, 1000, 6, 0.3), 5);
    assertEquals(5, same.size());
    assertEquals(1000, same.stream().mapToLong(FeatureStats::count).sum());
    SplitScore a = FidSpread.compute(ref, same);
    SplitScore b = FidSpread.compute(ref, shifted);
    assertEquals(5, a.values().length);
    assertTrue(a.std() > 0);
    assertTrue(b.mean() - a.mean() > 3 * (a.standardError() + b.standardError()));
  }
}
