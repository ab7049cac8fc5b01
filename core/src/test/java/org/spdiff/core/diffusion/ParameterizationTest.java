package org.spdiff.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.spdiff.core.noise.SeededNoise;
import org.spdiff.core.schedule.NoiseSchedules;

class ParameterizationTest {

  private static double maxAbs(NDArray a, NDArray b) {
    return a.sub(b).abs().max().getFloat();
  }

  @Test
  void targetsRoundTrip() {
    try (NDManager m = NDManager.newBaseManager()) {
      Shape shape = new Shape(5, 2, 4, 4);
      NDArray x0 = SeededNoise.forStep(m, shape, 1, 1, 0).tanh();
      NDArray eps = SeededNoise.forStep(m, shape, 1, 2, 0);
      long[] t = {1, 10, 500, 999, 1000};
      for (boolean zts : new boolean[] {false, true}) {
        GaussianDiffusion d =
            new GaussianDiffusion(NoiseSchedules.named("scaled-linear", 1000, zts));
        Coefficients c = d.coefficients(m, t);
        NDArray xt = GaussianDiffusion.qSample(x0, eps, c);
        for (Parameterization p : Parameterization.values()) {
          if (zts && p == Parameterization.EPS) {
            continue;
          }
          NDArray target = p.target(x0, eps, c);
          X0Eps r = p.toX0Eps(target, xt, c);
          // x0 from eps at t=1000 (no zts) amplifies float32 rounding by 1/sqrt(abar_T) ~ 15.
          double tol = p == Parameterization.EPS ? 2e-4 : 2e-5;
          assertTrue(maxAbs(r.x0(), x0) < tol, p + " x0 zts=" + zts + ": " + maxAbs(r.x0(), x0));
          // eps from x0 at t=1 amplifies rounding by 1/sqrt(1-abar_1) ~ 34.
          double tolE = p == Parameterization.X0 ? 2e-4 : 2e-5;
          assertTrue(
              maxAbs(r.eps(), eps) < tolE, p + " eps zts=" + zts + ": " + maxAbs(r.eps(), eps));
        }
      }
    }
  }

  @Test
  void qSampleAndVDefinitions() {
    try (NDManager m = NDManager.newBaseManager()) {
      GaussianDiffusion d = new GaussianDiffusion(NoiseSchedules.named("linear", 1000));
      NDArray x0 = m.create(new float[] {0.5f, -0.25f}, new Shape(2, 1, 1, 1));
      NDArray eps = m.create(new float[] {1f, 2f}, new Shape(2, 1, 1, 1));
      long[] t = {1, 700};
      NDArray xt = d.qSample(x0, t, eps);
      Coefficients c = d.coefficients(m, t);
      NDArray v = Parameterization.V.target(x0, eps, c);
      for (int i = 0; i < 2; i++) {
        double a = Math.sqrt(d.schedule().alphaBar(t[i]));
        double s = Math.sqrt(1 - d.schedule().alphaBar(t[i]));
        double x = x0.getFloat(i, 0, 0, 0);
        double e = eps.getFloat(i, 0, 0, 0);
        assertEquals(a * x + s * e, xt.getFloat(i, 0, 0, 0), 1e-6);
        assertEquals(a * e - s * x, v.getFloat(i, 0, 0, 0), 1e-6);
      }
    }
  }

  @Test
  void epsAtZeroTerminalSnrFailsClearly() {
    try (NDManager m = NDManager.newBaseManager()) {
      GaussianDiffusion d = new GaussianDiffusion(NoiseSchedules.named("linear", 100, true));
      Coefficients c = d.coefficients(m, new long[] {100});
      NDArray x = m.zeros(new Shape(1, 1, 2, 2));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Parameterization.EPS.toX0Eps(x, x, c));
      assertTrue(e.getMessage().contains("t=100"), e.getMessage());
    }
  }

  @Test
  void minSnrWeights() {
    assertEquals(1.0, Parameterization.EPS.minSnrWeight(0.5, 5), 1e-12); // snr 1
    assertEquals(0.5, Parameterization.V.minSnrWeight(0.5, 5), 1e-12);
    assertEquals(5.0 / 10.0, Parameterization.EPS.minSnrWeight(10.0 / 11.0, 5), 1e-12);
    assertEquals(0.0, Parameterization.V.minSnrWeight(0.0, 5), 1e-12);
  }
}
