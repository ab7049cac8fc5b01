package org.spdiff.metrics.prdc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.spdiff.metrics.Fixtures;
import org.spdiff.metrics.linalg.JavaMultiplier;
import org.spdiff.metrics.linalg.LibtorchMultiplier;
import org.spdiff.metrics.linalg.MatrixMultiplier;
import org.spdiff.metrics.stats.FeatureMatrix;

/** PRDC against prdc_fixture.npz (make_prdc_fixture.py: the papers' definitions in numpy). */
class PrdcTest {
  static final MatrixMultiplier[] ENGINES = {JavaMultiplier.INSTANCE, LibtorchMultiplier.INSTANCE};

  static double[] values(Prdc p) {
    return new double[] {p.precision(), p.recall(), p.density(), p.coverage()};
  }

  void checkCase(Fixtures f, String name, MatrixMultiplier engine) {
    FeatureMatrix real = FeatureMatrix.of(f.matrix(name + "_real"));
    FeatureMatrix fake = FeatureMatrix.of(f.matrix(name + "_fake"));
    double[] params = f.vector(name + "_params");
    int k = (int) params[0];
    int dcK = (int) params[1];
    int groups = (int) params[2];
    double[] foldD = f.vector(name + "_fold");
    int[] fold = new int[foldD.length];
    for (int i = 0; i < fold.length; i++) {
      fold[i] = (int) foldD[i];
    }
    PrdcReference ref = PrdcReference.of(real, k, dcK, engine);
    assertArrayEquals(f.vector(name + "_radii"), ref.radii(), 1e-12, name);
    assertArrayEquals(f.vector(name + "_dc_radii"), ref.densityCoverageRadii(), 1e-12, name);
    Prdc full = Prdc.compute(ref, fake);
    assertArrayEquals(f.vector(name + "_full"), values(full), 1e-12, name + " " + engine.name());
    assertEquals(k, full.k());
    assertEquals(dcK, full.dcK());
    assertEquals(real.rows(), full.realCount());
    assertEquals(fake.rows(), full.fakeCount());
    PrdcFolds folds = Prdc.computeWithFolds(ref, fake, fold, groups);
    assertArrayEquals(values(full), values(folds.full()), 0.0, "same pass, same values");
    double[][] deleted = f.matrix(name + "_deleted");
    assertEquals(groups, folds.withoutFold().size());
    for (int g = 0; g < groups; g++) {
      assertArrayEquals(
          deleted[g],
          values(folds.withoutFold().get(g)),
          1e-12,
          name + " without fold " + g + " " + engine.name());
    }
  }

  @Test
  void continuousFeaturesMatchTheNumpyDefinitions() {
    Fixtures f = Fixtures.load("prdc_fixture.npz");
    for (MatrixMultiplier e : ENGINES) {
      checkCase(f, "gauss", e);
      checkCase(f, "gauss_k1", e);
    }
  }

  @Test
  void duplicatesAndExactTiesFollowClosedBalls() {
    // Integer features: 85 real-fake pairs lie exactly at a real radius; strict '<' would give
    // precision 0.771 instead of 0.914.
    Fixtures f = Fixtures.load("prdc_fixture.npz");
    for (MatrixMultiplier e : ENGINES) {
      checkCase(f, "ties", e);
    }
  }

  @Test
  void seededSubsetIsNumpysSortedChoice() {
    Fixtures f = Fixtures.load("prdc_fixture.npz");
    int[] s = PrdcReference.seededSubset(100, 30, 7);
    double[] expected = f.vector("subset_100_30_seed7");
    assertEquals(expected.length, s.length);
    for (int i = 0; i < s.length; i++) {
      assertEquals((int) expected[i], s[i]);
    }
    assertEquals(5, PrdcReference.seededSubset(5, 10, 7).length);
  }

  static FeatureMatrix gaussian(long seed, int n, int d, double shift, double scale) {
    Random r = new Random(seed);
    double[][] x = new double[n][d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = shift + scale * r.nextGaussian();
      }
    }
    return FeatureMatrix.of(x);
  }

  @Test
  void aSetScoredAgainstItselfIsFullyPreciseAndCovering() {
    FeatureMatrix x = gaussian(1, 120, 5, 0, 1);
    Prdc p = Prdc.compute(PrdcReference.of(x, 3, 5, JavaMultiplier.INSTANCE), x);
    assertEquals(1.0, p.precision());
    assertEquals(1.0, p.recall());
    assertEquals(1.0, p.coverage());
    // Each row is inside its own ball and, on average, inside dcK others' (each ball holds dcK
    // neighbours): density is exactly (M + dcK M) / (dcK M) when no ties.
    assertEquals((120.0 + 5 * 120.0) / (5 * 120.0), p.density(), 1e-12);
  }

  @Test
  void aNarrowGeneratorIsPreciseButDoesNotRecall() {
    FeatureMatrix real = gaussian(1, 400, 4, 0, 1);
    FeatureMatrix narrow = gaussian(2, 400, 4, 0, 0.3);
    FeatureMatrix wide = gaussian(3, 400, 4, 0, 3);
    PrdcReference ref = PrdcReference.of(real, 3, 5, LibtorchMultiplier.INSTANCE);
    Prdc n = Prdc.compute(ref, narrow);
    Prdc w = Prdc.compute(ref, wide);
    assertTrue(n.precision() > 0.95 && n.recall() < 0.5, n.toString());
    assertTrue(w.precision() < 0.5 && w.recall() > 0.9, w.toString());
    assertTrue(n.coverage() < 0.6 && w.density() < 0.3, n + " " + w);
  }

  @Test
  void badInputsNameTheProblem() {
    FeatureMatrix real = gaussian(1, 20, 4, 0, 1);
    PrdcReference ref = PrdcReference.of(real, 3, 5, JavaMultiplier.INSTANCE);
    IllegalArgumentException dims =
        assertThrows(
            IllegalArgumentException.class, () -> Prdc.compute(ref, gaussian(2, 20, 5, 0, 1)));
    assertTrue(dims.getMessage().contains("4") && dims.getMessage().contains("5"));
    IllegalArgumentException few =
        assertThrows(
            IllegalArgumentException.class, () -> Prdc.compute(ref, gaussian(2, 3, 4, 0, 1)));
    assertTrue(few.getMessage().contains("3 rows"), few.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> PrdcReference.of(gaussian(1, 5, 4, 0, 1), 3, 5, JavaMultiplier.INSTANCE));
    IllegalArgumentException folds =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Prdc.computeWithFolds(
                    ref, gaussian(2, 8, 4, 0, 1), new int[] {0, 0, 0, 0, 0, 0, 1, 1}, 2));
    assertTrue(folds.getMessage().contains("without fold 0"), folds.getMessage());
  }
}
