package org.spdiff.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NoiseSchedulesTest {

  @Test
  void linearEndpoints() {
    NoiseSchedule s = NoiseSchedules.named("linear", 1000);
    assertEquals(1000, s.T());
    assertEquals(1e-4, s.beta(1), 1e-15);
    assertEquals(0.02, s.beta(1000), 1e-15);
    assertEquals(1.0 - 1e-4, s.alphaBar(1), 1e-15);
    assertEquals(1.0, s.alphaBar(0));
    // abar_T of DDPM's linear schedule is about 4.04e-5.
    assertEquals(4.04e-5, s.alphaBar(1000), 0.01e-5);
    for (int t = 1; t <= 1000; t++) {
      assertTrue(s.alphaBar(t) < s.alphaBar(t - 1));
    }
  }

  @Test
  void scaledLinearEndpoints() {
    NoiseSchedule s = NoiseSchedules.named("scaled-linear", 1000);
    assertEquals(0.00085, s.beta(1), 1e-15);
    assertEquals(0.012, s.beta(1000), 1e-15);
    // sqrt(beta) is linear: midpoint check.
    double mid = Math.sqrt(0.00085) + (Math.sqrt(0.012) - Math.sqrt(0.00085)) * 499 / 999.0;
    assertEquals(mid * mid, s.beta(500), 1e-15);
  }

  @Test
  void cosineClippedAndDecreasing() {
    NoiseSchedule s = NoiseSchedules.named("cosine", 1000);
    for (int t = 1; t <= 1000; t++) {
      assertTrue(s.beta(t) <= 0.999 && s.beta(t) > 0);
    }
    assertTrue(s.alphaBar(1000) < 1e-6);
    // abar(t) = f(t)/f(0) before clipping bites.
    double f0 = Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);
    double f500 = Math.pow(Math.cos((0.5 + 0.008) / 1.008 * Math.PI / 2), 2);
    assertEquals(f500 / f0, s.alphaBar(500), 1e-12);
  }

  @Test
  void zeroTerminalSnrExact() {
    for (String name : new String[] {"linear", "cosine", "scaled-linear"}) {
      NoiseSchedule base = NoiseSchedules.named(name, 1000);
      NoiseSchedule z = NoiseSchedules.named(name, 1000, true);
      assertEquals(0.0, z.alphaBar(1000), 0.0, name);
      assertEquals(0.0, z.snr(1000), 0.0, name);
      assertEquals(base.alphaBar(1), z.alphaBar(1), 0.0, name);
      assertEquals(1.0, z.beta(1000), 1e-12, name);
      for (int t = 2; t <= 1000; t++) {
        assertTrue(z.alphaBar(t) < z.alphaBar(t - 1), name + " t=" + t);
      }
    }
    // Lin et al.: sqrt(abar) is an affine map of the original sqrt(abar).
    NoiseSchedule base = NoiseSchedules.named("scaled-linear", 1000);
    NoiseSchedule z = NoiseSchedules.named("scaled-linear", 1000, true);
    double a1 = base.sqrtAlphaBar(1);
    double aT = base.sqrtAlphaBar(1000);
    double expected = (base.sqrtAlphaBar(400) - aT) * a1 / (a1 - aT);
    assertEquals(expected, z.sqrtAlphaBar(400), 1e-12);
  }

  @Test
  void badNamesAndSteps() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> NoiseSchedules.named("quadratic", 10));
    assertTrue(e.getMessage().contains("quadratic"));
    assertThrows(IllegalArgumentException.class, () -> NoiseSchedules.named("linear", 1));
    assertThrows(
        IllegalArgumentException.class, () -> NoiseSchedules.named("linear", 10).alphaBar(11));
  }
}
