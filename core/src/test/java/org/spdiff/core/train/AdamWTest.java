package org.spdiff.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class AdamWTest {

  @Test
  void matchesFloat64Reference() {
    double b1 = 0.9;
    double b2 = 0.99;
    double eps = 1e-8;
    double wd = 0.1;
    double lr = 0.01;
    double[] p = {1.0, -2.0, 0.5};
    double[][] grads = {{0.1, -0.3, 2.0}, {0.2, 0.0, -1.0}, {-0.05, 0.4, 0.3}};
    double[] m = new double[3];
    double[] v = new double[3];
    AdamW opt = new AdamW(b1, b2, eps, wd);
    try (NDManager man = NDManager.newBaseManager()) {
      NDArray pa = man.create(new float[] {1f, -2f, 0.5f});
      NDArray ma = man.zeros(pa.getShape());
      NDArray va = man.zeros(pa.getShape());
      for (int k = 1; k <= 3; k++) {
        double[] g = grads[k - 1];
        opt.step(
            pa, man.create(new float[] {(float) g[0], (float) g[1], (float) g[2]}), ma, va, lr, k);
        for (int i = 0; i < 3; i++) {
          p[i] *= 1 - lr * wd;
          m[i] = b1 * m[i] + (1 - b1) * g[i];
          v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
          double mh = m[i] / (1 - Math.pow(b1, k));
          double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(b2, k)) + eps;
          p[i] -= lr * mh / denom;
        }
        float[] got = pa.toFloatArray();
        for (int i = 0; i < 3; i++) {
          assertEquals(p[i], got[i], 1e-6, "step " + k + " element " + i);
        }
      }
    }
  }

  @Test
  void emaDecayAndUpdate() {
    assertEquals(2.0 / 11.0, Ema.decay(0.9999, true, 1), 1e-12);
    assertEquals(0.9999, Ema.decay(0.9999, true, 1_000_000), 1e-12);
    assertEquals(0.5, Ema.decay(0.5, false, 1), 0);
    try (NDManager man = NDManager.newBaseManager()) {
      NDArray e = man.create(new float[] {1f, 2f});
      Ema.update(e, man.create(new float[] {3f, 4f}), 0.75);
      assertEquals(1.5f, e.getFloat(0), 1e-6);
      assertEquals(2.5f, e.getFloat(1), 1e-6);
    }
  }
}
