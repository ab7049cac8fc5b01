package org.spdiff.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;
import org.spdiff.core.diffusion.Coefficients;
import org.spdiff.core.diffusion.GaussianDiffusion;
import org.spdiff.core.diffusion.Parameterization;
import org.spdiff.core.model.FeatureLayers;
import org.spdiff.core.noise.SeededNoise;
import org.spdiff.core.schedule.NoiseSchedules;
import org.spdiff.core.testing.TinyNet;

class SelfPerceptualLossTest {
  private static final Shape SHAPE = new Shape(4, 1, 8, 8);

  private static SelfPerceptualLoss loss(
      NoisePairing p, FeatureLayers l, Distance d, double lambda) {
    SelfPerceptualConfig c = new SelfPerceptualConfig("uniform", "uniform", p, l, d, lambda);
    return new SelfPerceptualLoss(c, Parameterization.V, new MseLoss(Parameterization.V, 0));
  }

  @Test
  void perfectPredictionGivesZeroLossUnderEveryPairing() {
    try (NDManager m = NDManager.newBaseManager()) {
      TinyNet perceptual = TinyNet.create(m, 1, 8, 8, 0, 3);
      perceptual.block().freezeParameters(true);
      GaussianDiffusion d =
          new GaussianDiffusion(NoiseSchedules.named("scaled-linear", 1000, true));
      NDArray x0 = SeededNoise.forStep(m, SHAPE, 1, 1, 0).tanh();
      NDArray eps = SeededNoise.forStep(m, SHAPE, 1, 2, 0);
      NDArray fresh = SeededNoise.forStep(m, SHAPE, 1, 3, 0);
      Coefficients c = d.coefficients(m, new long[] {1, 300, 700, 1000});
      Coefficients cp = d.coefficients(m, new long[] {5, 400, 900, 1000});
      NDArray xt = GaussianDiffusion.qSample(x0, eps, c);
      NDArray v = Parameterization.V.target(x0, eps, c);
      ParameterStore ps = new ParameterStore(m, false);
      for (NoisePairing p : NoisePairing.values()) {
        for (FeatureLayers l : new FeatureLayers[] {FeatureLayers.MID, FeatureLayers.ALL}) {
          float value =
              loss(p, l, Distance.MSE, 0)
                  .loss(perceptual, ps, x0, eps, c, xt, v, null, cp, fresh)
                  .loss()
                  .getFloat();
          // Zero up to float32 rounding of x0_hat/eps_hat.
          assertTrue(value < 1e-10, p + " " + l + ": " + value);
        }
      }
    }
  }

  /**
   * Why {@code t' = t} with the predicted pairing is refused: whatever the prediction, the
   * predicted branch re-noised at {@code t} with {@code eps_hat} is {@code x_t} again, so the loss
   * vanishes; with the true noise for both branches it does not.
   */
  @Test
  void equalTimestepsWithPredictedPairingLoseEveryPrediction() {
    try (NDManager m = NDManager.newBaseManager()) {
      TinyNet perceptual = TinyNet.create(m, 1, 8, 8, 0, 3);
      perceptual.block().freezeParameters(true);
      GaussianDiffusion d =
          new GaussianDiffusion(NoiseSchedules.named("scaled-linear", 1000, true));
      NDArray x0 = SeededNoise.forStep(m, SHAPE, 1, 1, 0).tanh();
      NDArray eps = SeededNoise.forStep(m, SHAPE, 1, 2, 0);
      NDArray fresh = SeededNoise.forStep(m, SHAPE, 1, 3, 0);
      // t = T is excluded: with zero terminal SNR, abar_T = 0 and x_t carries no x0 at all.
      Coefficients c = d.coefficients(m, new long[] {1, 300, 700, 999});
      NDArray xt = GaussianDiffusion.qSample(x0, eps, c);
      NDArray wrong = SeededNoise.forStep(m, SHAPE, 1, 4, 0); // unrelated to v
      ParameterStore ps = new ParameterStore(m, false);
      float predicted =
          loss(NoisePairing.PREDICTED, FeatureLayers.MID, Distance.MSE, 0)
              .loss(perceptual, ps, x0, eps, c, xt, wrong, null, c, fresh)
              .loss()
              .getFloat();
      float trueNoise =
          loss(NoisePairing.TRUE, FeatureLayers.MID, Distance.MSE, 0)
              .loss(perceptual, ps, x0, eps, c, xt, wrong, null, c, fresh)
              .loss()
              .getFloat();
      assertTrue(predicted < 1e-9, "predicted pairing at t' = t: " + predicted);
      assertTrue(trueNoise > 1e-4, "true pairing at t' = t: " + trueNoise);
    }
  }

  @Test
  void imperfectPredictionGivesLossAndGradientThroughFrozenNet() {
    try (NDManager m = NDManager.newBaseManager()) {
      TinyNet perceptual = TinyNet.create(m, 1, 8, 8, 0, 3);
      perceptual.block().freezeParameters(true);
      GaussianDiffusion d =
          new GaussianDiffusion(NoiseSchedules.named("scaled-linear", 1000, true));
      NDArray x0 = SeededNoise.forStep(m, SHAPE, 1, 1, 0).tanh();
      NDArray eps = SeededNoise.forStep(m, SHAPE, 1, 2, 0);
      NDArray fresh = SeededNoise.forStep(m, SHAPE, 1, 3, 0);
      Coefficients c = d.coefficients(m, new long[] {1, 300, 700, 1000});
      Coefficients cp = d.coefficients(m, new long[] {5, 400, 900, 1000});
      NDArray xt = GaussianDiffusion.qSample(x0, eps, c);
      NDArray v = Parameterization.V.target(x0, eps, c);
      ParameterStore ps = new ParameterStore(m, false);
      for (NoisePairing p : NoisePairing.values()) {
        for (Distance dist : Distance.values()) {
          NDArray pred = v.add(SeededNoise.forStep(m, SHAPE, 1, 4, 0).mul(0.3f));
          pred.setRequiresGradient(true);
          float value;
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray l =
                loss(p, FeatureLayers.MID, dist, 0)
                    .loss(perceptual, ps, x0, eps, c, xt, pred, null, cp, fresh)
                    .loss();
            value = l.getFloat();
            gc.backward(l);
          }
          assertTrue(value > 1e-5, p + " " + dist + ": " + value);
          assertTrue(pred.getGradient().abs().sum().getFloat() > 0, p + " " + dist);
        }
      }
      for (Pair<String, Parameter> par : perceptual.block().getParameters()) {
        assertFalse(par.getValue().requiresGradient(), par.getKey());
      }
    }
  }

  @Test
  void lambdaAddsWeightedMse() {
    try (NDManager m = NDManager.newBaseManager()) {
      TinyNet perceptual = TinyNet.create(m, 1, 8, 8, 0, 3);
      perceptual.block().freezeParameters(true);
      GaussianDiffusion d = new GaussianDiffusion(NoiseSchedules.named("linear", 1000, true));
      NDArray x0 = SeededNoise.forStep(m, SHAPE, 1, 1, 0).tanh();
      NDArray eps = SeededNoise.forStep(m, SHAPE, 1, 2, 0);
      Coefficients c = d.coefficients(m, new long[] {10, 20, 30, 40});
      Coefficients cp = d.coefficients(m, new long[] {50, 60, 70, 80});
      NDArray xt = GaussianDiffusion.qSample(x0, eps, c);
      NDArray pred = SeededNoise.forStep(m, SHAPE, 1, 4, 0);
      ParameterStore ps = new ParameterStore(m, false);
      SelfPerceptualLoss.Terms terms =
          loss(NoisePairing.PREDICTED, FeatureLayers.MID, Distance.MSE, 0.5)
              .loss(perceptual, ps, x0, eps, c, xt, pred, null, cp, null);
      float mse = new MseLoss(Parameterization.V, 0).loss(pred, x0, eps, c).getFloat();
      assertEquals(mse, terms.mse().getFloat(), 1e-6);
      assertEquals(terms.selfPerceptual().getFloat() + 0.5 * mse, terms.loss().getFloat(), 1e-5);
    }
  }
}
