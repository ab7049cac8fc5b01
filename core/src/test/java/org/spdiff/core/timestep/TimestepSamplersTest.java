package org.spdiff.core.timestep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestepSamplersTest {

  @Test
  void specsRoundTrip() {
    for (String spec :
        new String[] {
          "uniform",
          "range(10,20)",
          "logit-normal(0,1)",
          "logit-normal(-0.5,1.5)",
          "fixed(7)",
          "equal"
        }) {
      TimestepSampler s = TimestepSamplers.parse(spec, 1000);
      assertEquals(spec, s.spec());
      assertEquals(spec, TimestepSamplers.parse(s.spec(), 1000).spec());
    }
    assertEquals("range(3,4)", TimestepSamplers.parse(" Range( 3 , 4 ) ", 10).spec());
  }

  @Test
  void drawsStayInRange() {
    SplittableRandom rng = new SplittableRandom(1);
    long[] u = TimestepSamplers.parse("uniform", 50).sample(2000, rng, null);
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (long t : u) {
      min = Math.min(min, t);
      max = Math.max(max, t);
    }
    assertEquals(1, min);
    assertEquals(50, max);
    java.util.Set<Long> seen = new java.util.TreeSet<>();
    for (long t : TimestepSamplers.parse("range(5,7)", 50).sample(500, rng, null)) {
      seen.add(t);
    }
    assertEquals(java.util.Set.of(6L, 7L), seen, "range(a,b) draws a+1..b ([a, b) 0-based)");
    java.util.Set<Long> halves = new java.util.TreeSet<>();
    for (long t : TimestepSamplers.parse("range(0,2)", 4).sample(200, rng, null)) {
      halves.add(t);
    }
    for (long t : TimestepSamplers.parse("range(2,4)", 4).sample(200, rng, null)) {
      assertTrue(t == 3 || t == 4, "the second half is disjoint from the first: " + t);
    }
    assertEquals(java.util.Set.of(1L, 2L), halves);
    for (long t : TimestepSamplers.parse("logit-normal(0,1)", 1000).sample(500, rng, null)) {
      assertTrue(t >= 1 && t <= 1000);
    }
    for (long t : TimestepSamplers.parse("fixed(9)", 50).sample(5, rng, null)) {
      assertEquals(9, t);
    }
    long[] online = {3, 1, 4};
    assertArrayEquals(online, TimestepSamplers.parse("equal", 50).sample(3, rng, online));
    // logit-normal(0, s) with tiny s concentrates at round(0.5 (T-1)) + 1.
    for (long t : TimestepSamplers.parse("logit-normal(0,0.000001)", 1001).sample(5, rng, null)) {
      assertEquals(501, t);
    }
  }

  @Test
  void deterministicGivenSeed() {
    TimestepSampler s = TimestepSamplers.parse("logit-normal(0.2,1)", 1000);
    assertArrayEquals(
        s.sample(16, new SplittableRandom(42), null), s.sample(16, new SplittableRandom(42), null));
  }

  @Test
  void badSpecsNameSpecAndReason() {
    String[][] bad = {
      {"range(-1,5)", "0 <= a < b"},
      {"range(5,3)", "0 <= a < b"},
      {"range(3,3)", "0 <= a < b"},
      {"range(1,2000)", "T = 1000"},
      {"range(1.5,3)", "not an integer"},
      {"range(1)", "expects 2"},
      {"fixed(0)", "1 <= k"},
      {"logit-normal(0,0)", "> 0"},
      {"uniform(3)", "expects 0"},
      {"gaussian", "unknown sampler"},
      {"range(a,b)", "not a number"},
      {"", "not of the form"},
    };
    for (String[] b : bad) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> TimestepSamplers.parse(b[0], 1000), b[0]);
      assertTrue(e.getMessage().contains("'" + b[0] + "'"), e.getMessage());
      assertTrue(e.getMessage().contains(b[1]), e.getMessage());
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> TimestepSamplers.parseOnline("equal", 10));
    assertTrue(e.getMessage().contains("only valid for t'"));
  }

  @Test
  void alwaysEqualOnlyWhenEveryDrawCopiesT() {
    int T = 1000;
    assertTrue(alwaysEqual("uniform", "equal", T));
    assertTrue(alwaysEqual("range(0,500)", "equal", T));
    assertTrue(alwaysEqual("fixed(7)", "fixed(7)", T));
    assertFalse(alwaysEqual("fixed(7)", "fixed(8)", T));
    assertFalse(alwaysEqual("uniform", "uniform", T));
    assertTrue(alwaysEqual("range(6,7)", "fixed(7)", T), "range(6,7) is t = 7 alone");
    assertFalse(alwaysEqual("fixed(7)", "logit-normal(0,1)", T));
  }

  private static boolean alwaysEqual(String t, String tPrime, int T) {
    return TimestepSamplers.alwaysEqual(
        TimestepSamplers.parseOnline(t, T), TimestepSamplers.parse(tPrime, T));
  }
}
