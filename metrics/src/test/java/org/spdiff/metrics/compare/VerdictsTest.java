package org.spdiff.metrics.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Verdicts on constructed cases: clear win, clear loss, no difference, and Holm's correction. */
class VerdictsTest {

  /** A K = 1 difference with the given estimate and a symmetric spread of +-s over 10 folds. */
  static Difference diff(Metric m, double estimate, double s) {
    double[] a = new double[10];
    double[] b = new double[10];
    for (int g = 0; g < 10; g++) {
      a[g] = 50;
      b[g] = 50 + estimate + (g % 2 == 0 ? s : -s);
    }
    return PairedComparison.difference(
        List.of(new JackknifeProfile(m, 50, a, 1000, 10, 1)),
        List.of(new JackknifeProfile(m, 50 + estimate, b, 1000, 10, 1)));
  }

  @Test
  void clearWinClearLossAndNoDifference() {
    Map<String, Difference> fid = new LinkedHashMap<>();
    fid.put("win", diff(Metric.FID, -3.0, 0.1));
    fid.put("loss", diff(Metric.FID, 3.0, 0.1));
    fid.put("same", diff(Metric.FID, 0.01, 0.1));
    Map<String, VariantVerdict> v = Verdicts.holm(fid);
    assertEquals(List.of("win", "loss", "same"), List.copyOf(v.keySet()));
    assertEquals(Verdict.BETTER, v.get("win").verdict());
    assertEquals(Verdict.WORSE, v.get("loss").verdict());
    assertEquals(Verdict.INCONCLUSIVE, v.get("same").verdict());
    assertEquals("better", v.get("win").verdict().toString());
    assertTrue(v.get("win").difference().upper() < 0);
    assertTrue(v.get("same").difference().lower() < 0 && v.get("same").difference().upper() > 0);
    assertTrue(v.get("win").samplingNoiseOnly());
    assertTrue(v.get("win").note().contains("only sampling noise"), v.get("win").note());
  }

  @Test
  void directionFollowsTheMetric() {
    Map<String, Difference> up = new LinkedHashMap<>();
    up.put("higher", diff(Metric.IS, 2.0, 0.05));
    assertEquals(Verdict.BETTER, Verdicts.holm(up).get("higher").verdict());
    Map<String, Difference> prec = new LinkedHashMap<>();
    prec.put("lower", diff(Metric.PRECISION, -0.1, 0.002));
    assertEquals(Verdict.WORSE, Verdicts.holm(prec).get("lower").verdict());
    Map<String, Difference> kid = new LinkedHashMap<>();
    kid.put("higher", diff(Metric.KID, 0.01, 0.0001));
    assertEquals(Verdict.WORSE, Verdicts.holm(kid).get("higher").verdict());
  }

  @Test
  void holmTurnsMarginalResultsInconclusive() {
    // Three variants, each significant on its own (p ~ 0.02-0.04), none after Holm (3 p_(1) >
    // 0.05).
    Map<String, Difference> fid = new LinkedHashMap<>();
    fid.put("a", diff(Metric.FID, -1.0, 0.125));
    fid.put("b", diff(Metric.FID, -1.0, 0.13));
    fid.put("c", diff(Metric.FID, -1.0, 0.135));
    for (Difference d : fid.values()) {
      assertTrue(d.pValue() < 0.05 && d.pValue() > 0.017, "unadjusted p " + d.pValue());
      assertTrue(d.upper() < 0, "the unadjusted interval excludes 0");
    }
    Map<String, VariantVerdict> v = Verdicts.holm(fid);
    for (VariantVerdict x : v.values()) {
      assertEquals(Verdict.INCONCLUSIVE, x.verdict(), x.variant() + " p_adj " + x.adjustedP());
      assertTrue(x.adjustedP() >= 0.05);
    }
    // Holm's formula: smallest p times 3, then running maxima of (m - j + 1) p_(j).
    double[] p = fid.values().stream().mapToDouble(Difference::pValue).sorted().toArray();
    assertEquals(
        Math.max(3 * p[0], 2 * p[1]),
        v.values().stream().mapToDouble(VariantVerdict::adjustedP).sorted().toArray()[1],
        1e-15);
    // Alone, the same evidence is a win.
    Map<String, Difference> alone = new LinkedHashMap<>();
    alone.put("a", fid.get("a"));
    assertEquals(Verdict.BETTER, Verdicts.holm(alone).get("a").verdict());
  }

  @Test
  void oneFamilyPerMetric() {
    Map<String, Difference> mixed = new LinkedHashMap<>();
    mixed.put("a", diff(Metric.FID, 1, 0.1));
    mixed.put("b", diff(Metric.IS, 1, 0.1));
    assertThrows(IllegalArgumentException.class, () -> Verdicts.holm(mixed));
  }
}
