package org.spdiff.metrics.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spdiff.metrics.fid.FidInfinity;
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
    ComparisonSettings settings = ComparisonSettings.defaults().withKid(10, 100).withFolds(5);
    // KID on all 400 reference rows, PRDC on a 200-row subset: KID computes its own products.
    ComparisonReference reference =
        new ComparisonReference(
            fid, prdc, KidReference.of(refRows, 200, 10, 100, 2020, JavaMultiplier.INSTANCE));
    assertTrue(!reference.kidSharesPrdcRows());
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
    // FID-infinity from the folds: grid 40, 80, ..., 200 (max(n / 10, min(2 d, n / 2)) = 20).
    assertEquals(5, pa.fidInfinity().grid().length);
    assertEquals(200, pa.fidInfinity().grid()[4]);
    assertEquals(pa.value(Metric.FID), pa.fidInfinity().fids()[4], 0.0);
    // The standalone estimator with the fold seed takes the same nested subsets.
    FidInfinity alone =
        FidInfinity.compute(
            fid,
            FeatureMatrix.of(a),
            FidInfinity.grid(200, 6, 5),
            settings.foldSeed(),
            JavaMultiplier.INSTANCE);
    assertEquals(alone.value(), pa.fidInfinity().value(), 1e-9 * Math.abs(alone.value()));
    assertArrayEquals(alone.grid(), pa.fidInfinity().grid());

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
  void kidRidingOnThePrdcPassEqualsKidWithItsOwnProducts() {
    double[][] ref = JackknifeBuildersTest.rows(1, 500, 6, 0);
    double[][] a = JackknifeBuildersTest.rows(2, 150, 6, 0.2);
    FeatureMatrix refRows = FeatureMatrix.of(ref);
    FrechetReference fid =
        FrechetReference.of(FeatureStats.of(ref), JackknifeBuildersTest.JAVA_ENGINE);
    ComparisonSettings settings = ComparisonSettings.defaults().withKid(7, 60).withFolds(6);
    ComparisonReference shared =
        ComparisonReference.of(fid, refRows, 150, 3, 3, 5, settings, JavaMultiplier.INSTANCE);
    assertTrue(shared.kidSharesPrdcRows());
    assertEquals(150, shared.prdc().real().rows());
    CellProfile fused =
        CellProfiles.compute(shared, FeatureMatrix.of(a), null, settings, JavaMultiplier.INSTANCE);
    FeatureMatrix subset = refRows.select(PrdcReference.seededSubset(500, 150, 3));
    KidJackknife.Result own =
        KidJackknife.profile(
            FeatureMatrix.of(a),
            subset,
            PairedFolds.of(150, 6, settings.foldSeed()),
            7,
            60,
            2020,
            JavaMultiplier.INSTANCE);
    JackknifeProfile k = fused.profile(Metric.KID);
    assertEquals(own.profile().full(), k.full(), 1e-12);
    double[] ownDeleted = own.profile().withoutFold();
    double[] fusedDeleted = k.withoutFold();
    for (int g = 0; g < 6; g++) {
      assertEquals(ownDeleted[g], fusedDeleted[g], 1e-12, "fold " + g);
    }
    assertEquals(
        KernelInceptionDistance.compute(a, subset.toArray(), 7, 60, 2020, JavaMultiplier.INSTANCE)
            .std(),
        fused.kid().std(),
        1e-12);
    assertEquals(
        Prdc.compute(shared.prdc(), FeatureMatrix.of(a)).recall(), fused.value(Metric.RECALL));
  }

  @Test
  void seedCollisionsAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ComparisonSettings(10, 2020, 10, 2020, 100, 1000, 2020));
    assertTrue(e.getMessage().contains("foldSeed"), e.getMessage());
  }

  @Test
  void momentsOnlyReferenceGivesFidAlone() {
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
