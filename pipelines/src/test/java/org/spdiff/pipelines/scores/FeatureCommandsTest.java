package org.spdiff.pipelines.scores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.spdiff.pipelines.scores.ScoreCommandsTest.Result;

/**
 * {@code spdiff fid | kid | prdc | compare} on {@code .npy} feature matrices and {@code .npz}
 * statistics written by numpy (features/make_features.py), against the values that script computes
 * from the definitions (scipy FID, torch-fidelity KID, the papers' PRDC).
 */
class FeatureCommandsTest {
  static final Map<String, double[]> EXPECTED = new HashMap<>();

  static String file(String name) {
    try {
      return Path.of(FeatureCommandsTest.class.getResource("features/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in = FeatureCommandsTest.class.getResourceAsStream("features/expected.npz");
        NDManager m = NDManager.newBaseManager()) {
      for (NDArray a : NDList.decode(m, in)) {
        EXPECTED.put(a.getName(), a.toType(DataType.FLOAT64, false).toDoubleArray());
      }
    }
  }

  static Result ok(String... args) {
    Result r = ScoreCommandsTest.spdiff(args);
    assertEquals(0, r.status(), r.err());
    return r;
  }

  /** The value of {@code <key>: <value>} on its line. */
  static double value(Result r, String key) {
    for (String line : r.out().lines().toList()) {
      if (line.startsWith(key + ": ")) {
        return Double.parseDouble(line.substring(key.length() + 2).split(" ")[0]);
      }
    }
    throw new AssertionError("no line '" + key + ": ' in " + r.out());
  }

  /** {@code <key>: <v> [<lo>, <hi>]} as {v, lo, hi}. */
  static double[] interval(Result r, String key) {
    for (String line : r.out().lines().toList()) {
      if (line.startsWith(key + ": ")) {
        String[] p =
            line.substring(key.length() + 2).replace("[", "").replace("]", "").split(",? ");
        return new double[] {
          Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2])
        };
      }
    }
    throw new AssertionError("no line '" + key + ": ' in " + r.out());
  }

  static void close(double expected, double actual, double rel) {
    assertEquals(expected, actual, rel * Math.max(1, Math.abs(expected)));
  }

  @Test
  void fidReadsNpyMatricesAsTheirMoments() {
    double expected = EXPECTED.get("fid_real_a")[0];
    close(expected, value(ok("fid", file("real.npy"), file("a.npy")), "FID"), 1e-8);
    close(expected, value(ok("fid", file("real_stats.npz"), file("a.npy")), "FID"), 1e-8);
  }

  @Test
  void fidInfinityFollowsTheFidLine() {
    Result r = ok("fid", file("real.npy"), file("b.npy"), "--infinity=true");
    List<String> lines = r.out().lines().toList();
    assertEquals(2, lines.size(), r.out());
    assertTrue(lines.get(0).startsWith("FID: ") && lines.get(1).startsWith("FID_inf: "), r.out());
    close(EXPECTED.get("fid_real_b")[0], value(r, "FID"), 1e-8);
    close(EXPECTED.get("fid_inf_real_b")[0], value(r, "FID_inf"), 1e-8);
    Result stats =
        ScoreCommandsTest.spdiff(
            "fid", file("real.npy"), file("real_stats.npz"), "--infinity=true");
    assertEquals(2, stats.status());
    assertTrue(
        stats.err().contains("real_stats.npz") && stats.err().contains("--infinity"), stats.err());
  }

  @Test
  void kidIsTorchFidelitysEstimatorWithFakeFirst() {
    Result r = ok("kid", file("real.npy"), file("a.npy"), "--kidSubsets=5", "--kidSubsetSize=20");
    assertTrue(r.out().matches("KID: \\S+ \\+- \\S+\\R"), r.out());
    double[] e = EXPECTED.get("kid_real_a_5x20");
    String[] parts = r.out().trim().substring(5).split(" \\+- ");
    close(e[0], Double.parseDouble(parts[0]), 1e-9);
    close(e[1], Double.parseDouble(parts[1]), 1e-9);
    // Subset size N: every row once in every subset, so the std over subsets is rounding only.
    Result all = ok("kid", file("real.npy"), file("a.npy"), "--kidSubsets=3", "--kidSubsetSize=50");
    String[] p = all.out().trim().substring(5).split(" \\+- ");
    close(EXPECTED.get("kid_real_a_3x50")[0], Double.parseDouble(p[0]), 1e-9);
    assertTrue(Math.abs(Double.parseDouble(p[1])) < 1e-12, all.out());
  }

  @Test
  void prdcPrintsFourLinesMatchingThePapersDefinitions() {
    Result r = ok("prdc", file("real.npy"), file("a.npy"));
    List<String> lines = r.out().lines().toList();
    assertEquals(4, lines.size(), r.out());
    String[] keys = {"precision", "recall", "density", "coverage"};
    double[] e = EXPECTED.get("prdc_real_a");
    for (int i = 0; i < 4; i++) {
      assertTrue(lines.get(i).startsWith(keys[i] + ": "), r.out());
      assertEquals(e[i], value(r, keys[i]), 1e-12, keys[i]);
    }
    Result k2 = ok("prdc", file("real.npy"), file("a.npy"), "--k=2", "--dcK=4");
    double[] e2 = EXPECTED.get("prdc_real_a_k2_dc4");
    for (int i = 0; i < 4; i++) {
      assertEquals(e2[i], value(k2, keys[i]), 1e-12, keys[i]);
    }
  }

  @Test
  void compareGivesPairedDifferencesWithIntervals() {
    Result r =
        ok(
            "compare",
            file("real.npy"),
            file("a.npy"),
            file("b.npy"),
            "--logitsA=" + file("logits_a.npy"),
            "--logitsB=" + file("logits_b.npy"),
            "--folds=5",
            "--kidSubsets=10",
            "--kidSubsetSize=20");
    List<String> keys = r.out().lines().map(l -> l.substring(0, l.indexOf(':'))).toList();
    assertEquals(
        List.of("FID A", "FID B", "dFID", "dIS", "dKID", "dPrecision", "dRecall"), keys, r.out());
    double fa = value(r, "FID A");
    double fb = value(r, "FID B");
    close(EXPECTED.get("fid_real_a")[0], fa, 1e-8);
    close(EXPECTED.get("fid_real_b")[0], fb, 1e-8);
    double[] dfid = interval(r, "dFID");
    close(fb - fa, dfid[0], 1e-12);
    for (String k : List.of("dFID", "dIS", "dKID", "dPrecision", "dRecall")) {
      double[] v = interval(r, k);
      assertTrue(v[1] < v[0] && v[0] < v[2], k + ": " + r.out());
    }
    // REF has as many rows as A and B, so the PRDC reference subset is all of REF.
    double[] pa = EXPECTED.get("prdc_real_a");
    double[] pb = EXPECTED.get("prdc_real_b");
    assertEquals(pb[0] - pa[0], interval(r, "dPrecision")[0], 1e-12);
    assertEquals(pb[1] - pa[1], interval(r, "dRecall")[0], 1e-12);
    assertTrue(r.err().contains("only sampling noise"), r.err());

    Result stats = ok("compare", file("real_stats.npz"), file("a.npy"), file("b.npy"), "--folds=5");
    List<String> lines = stats.out().lines().toList();
    assertEquals(3, lines.size(), stats.out());
    assertTrue(lines.get(2).startsWith("dFID: "), stats.out());
    assertEquals(fb - fa, interval(stats, "dFID")[0], 1e-8);
  }

  /** Exit 2, one line on standard error naming each of {@code names}. */
  static void fails(List<String> names, String... args) {
    Result r = ScoreCommandsTest.spdiff(args);
    assertEquals(2, r.status(), String.join(" ", args) + ": " + r.out() + r.err());
    assertEquals(1, r.err().trim().lines().count(), r.err());
    for (String n : names) {
      assertTrue(r.err().contains(n), "'" + n + "' not in: " + r.err());
    }
    assertTrue(r.out().isEmpty(), "no partial result: " + r.out());
  }

  @Test
  void badInputsExitTwoNamingTheFileOrFlag() {
    String real = file("real.npy");
    String a = file("a.npy");
    fails(List.of("dimensions differ", "bad_d6.npy"), "fid", real, file("bad_d6.npy"));
    fails(List.of("bad_d6.npy", "a.npy"), "prdc", file("bad_d6.npy"), a);
    fails(List.of("bad_1d.npy", "(50,)"), "prdc", real, file("bad_1d.npy"));
    fails(List.of("real_stats.npz", "feature rows"), "prdc", file("real_stats.npz"), a);
    fails(List.of("real_stats.npz"), "kid", file("real_stats.npz"), a);
    fails(List.of("/no/such.npy"), "kid", "/no/such.npy", a);
    fails(List.of("--kidSubsetSize"), "kid", real, a, "--kidSubsetSize=1");
    fails(List.of("--kidSubsets"), "kid", real, a, "--kidSubsets=0");
    fails(List.of("--k"), "prdc", real, a, "--k=0");
    fails(List.of("bogus"), "prdc", real, a, "--bogus=1");
    fails(List.of("bad_rows49.npy", "row-aligned"), "compare", real, a, file("bad_rows49.npy"));
    fails(List.of("dimensions differ", "bad_d6.npy"), "compare", real, a, file("bad_d6.npy"));
    fails(List.of("dimensions differ", "bad_d6.npy"), "compare", file("bad_d6.npy"), a, a);
    fails(List.of("--folds"), "compare", real, a, a, "--folds=1");
    fails(
        List.of("--logitsA", "--logitsB"),
        "compare",
        real,
        a,
        a,
        "--logitsA=" + file("logits_a.npy"));
    fails(
        List.of("--logitsB", "bad_rows49.npy"),
        "compare",
        real,
        a,
        a,
        "--logitsA=" + file("logits_a.npy"),
        "--logitsB=" + file("bad_rows49.npy"));
    fails(List.of("real_stats.npz", "rows of A and B"), "compare", real, file("real_stats.npz"), a);
  }

  @Test
  void helpListsTheNewFlags() {
    Result r = ok("prdc", "--help");
    assertTrue(r.out().contains("--k=") && r.out().contains("--dcK="), r.out());
    Result c = ok("compare", "--help");
    assertTrue(c.out().contains("--folds=") && c.out().contains("--logitsA="), c.out());
    assertTrue(!c.out().contains("--runner"), "no runner flags for a score command: " + c.out());
  }
}
