package org.spdiff.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.spdiff.core.diffusion.Coefficients;
import org.spdiff.core.diffusion.GaussianDiffusion;
import org.spdiff.core.diffusion.Parameterization;
import org.spdiff.core.schedule.NoiseSchedules;

class MseLossTest {

  @Test
  void plainAndMinSnrWeighted() {
    try (NDManager m = NDManager.newBaseManager()) {
      GaussianDiffusion d = new GaussianDiffusion(NoiseSchedules.named("linear", 1000));
      long[] t = {10, 900};
      Coefficients c = d.coefficients(m, t);
      NDArray x0 = m.zeros(new Shape(2, 1, 2, 2));
      NDArray eps = m.zeros(new Shape(2, 1, 2, 2));
      // Target 0 (eps of zeros); per-sample squared errors 1 and 4.
      NDArray pred = m.create(new float[] {1, 1, 1, 1, 2, 2, 2, 2}, new Shape(2, 1, 2, 2));
      assertEquals(
          2.5, new MseLoss(Parameterization.EPS, 0).loss(pred, x0, eps, c).getFloat(), 1e-6);
      double gamma = 5;
      double w0 = Parameterization.EPS.minSnrWeight(d.schedule().alphaBar(10), gamma);
      double w1 = Parameterization.EPS.minSnrWeight(d.schedule().alphaBar(900), gamma);
      assertEquals(1.0, w1, 1e-12); // snr(900) < 5: weight 1
      assertEquals(5 / d.schedule().snr(10), w0, 1e-12);
      assertEquals(
          (w0 * 1 + w1 * 4) / 2,
          new MseLoss(Parameterization.EPS, gamma).loss(pred, x0, eps, c).getFloat(),
          1e-5);
    }
  }
}
