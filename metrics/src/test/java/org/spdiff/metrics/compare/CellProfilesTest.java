package org.spdiff.metrics.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spdiff.metrics.fid.FrechetDistance;
import org.spdiff.metrics.fid.FrechetReference;
import org.spdiff.metrics.linalg.JavaMultiplier;
import org.spdiff.metrics.prdc.Prdc;
import org.spdiff.metrics.prdc.PrdcReference;
import org.spdiff.metrics.stats.FeatureMatrix;
import org.spdiff.metrics.stats.FeatureStats;
import org.spdiff.metrics.stats.InceptionScore;
import org.spdiff.metrics.stats.KernelInceptionDistance;

/** A cell profile's full values are the standalone statistics; comparisons pair two cells. */
class CellProfilesTest {

  @Test
  void fullValuesEqualTheStandaloneStatisticsAndComparePairsThem() throws Exception {
    double[][] ref = JackknifeBuildersTest.rows(1, 400, 6, 0);
    double[][] a = JackknifeBuildersTest.rows(2, 200, 6, 0.1);
    double[][] b = JackknifeBuildersTest.rows(3, 200, 6, 0.4);
    double[][] logitsA = JackknifeBuildersTest.rows(4, 200, 5, 0);
    double[][] logitsB = JackknifeBuildersTest.rows(5, 200, 5, 0);
    FeatureMatrix refRows = FeatureMatrix.of(ref);
    FrechetReference fid =
        FrechetReference.of(FeatureStats.of(ref), JackknifeBuildersTest.JAVA_ENGINE);
    PrdcReference prdc =
        PrdcReference.of(
            refRows.select(PrdcReference.seededSubset(400, 200, 1)), 3, 5, JavaMultiplier.INSTANCE);
    ComparisonReference reference = new ComparisonReference(fid, prdc, refRows);
    ComparisonSettings settings = ComparisonSettings.defaults().withKid(10, 100).withFolds(5);
    CellProfile pa =
        CellProfiles.compute(
            reference, FeatureMatrix.of(a), logitsA, settings, JavaMultiplier.INSTANCE);
    CellProfile pb =
        CellProfiles.compute(
            reference, FeatureMatrix.of(b), logitsB, settings, JavaMultiplier.INSTANCE);
    assertEquals(EnumSet.allOf(Metric.class), pa.metrics().keySet());
    double fa = FrechetDistance.compute(fid, FeatureStats.of(a)).value();
    assertEquals(fa, pa.value(Metric.FID), 1e-10 * fa);
    assertEquals(
        InceptionScore.compute(logitsA, 10, true, 2020).mean(), pa.value(Metric.IS), 1e-12);
    assertEquals(
        KernelInceptionDistance.compute(a, ref, 10, 100, 2020, JavaMultiplier.INSTANCE).mean(),
        pa.value(Metric.KID),
        1e-12);
    Prdc p = Prdc.compute(prdc, FeatureMatrix.of(a));
    assertEquals(p.precision(), pa.value(Metric.PRECISION));
    assertEquals(p.recall(), pa.value(Metric.RECALL));
    assertEquals(p.density(), pa.value(Metric.DENSITY));
    assertEquals(p.coverage(), pa.value(Metric.COVERAGE));
    assertEquals(10, pa.inceptionScore().values().length);
    assertEquals(10, pa.kid().values().length);

    Map<Metric, Difference> d = PairedComparison.compare(List.of(pa), List.of(pb));
    assertEquals(EnumSet.allOf(Metric.class), d.keySet());
    for (Metric m : Metric.values()) {
      Difference x = d.get(m);
      assertEquals(pb.value(m) - pa.value(m), x.estimate(), 1e-12, m.label());
      assertTrue(x.lower() <= x.estimate() && x.estimate() <= x.upper(), m.label());
      assertTrue(x.samplingNoiseOnly());
    }
    assertTrue(d.get(Metric.FID).lower() > 0, "B is shifted further: " + d.get(Metric.FID));

    // Profiles travel through Beam as Java-serialized values.
    try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
      out.writeObject(pa);
      out.writeObject(d.get(Metric.FID));
    }
  }

  @Test
  void moments_onlyReferenceGivesFidAlone() {
    double[][] ref = JackknifeBuildersTest.rows(1, 100, 3, 0);
    CellProfile p =
        CellProfiles.compute(
            ComparisonReference.fidOnly(
                FrechetReference.of(FeatureStats.of(ref), JackknifeBuildersTest.JAVA_ENGINE)),
            FeatureMatrix.of(JackknifeBuildersTest.rows(2, 50, 3, 0)),
            null,
            ComparisonSettings.defaults(),
            JavaMultiplier.INSTANCE);
    assertEquals(EnumSet.of(Metric.FID), p.metrics().keySet());
    assertNull(p.inceptionScore());
    assertNull(p.kid());
  }
}
