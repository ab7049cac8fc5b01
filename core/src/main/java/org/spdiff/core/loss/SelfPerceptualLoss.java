package org.spdiff.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import org.spdiff.core.diffusion.Coefficients;
import org.spdiff.core.diffusion.GaussianDiffusion;
import org.spdiff.core.diffusion.Parameterization;
import org.spdiff.core.diffusion.X0Eps;
import org.spdiff.core.engine.NativeArrays;
import org.spdiff.core.model.DiffusionNet;

/**
 * The self-perceptual loss (Lin &amp; Yang 2024; METHOD.md Stage 2, steps 2-7), given the online
 * prediction at {@code x_t}:
 *
 * <ol>
 *   <li>{@code (x0_hat, eps_hat)} from the prediction ({@link Parameterization#toX0Eps});
 *   <li>real branch {@code x_t' = sqrt(abar_t') x0 + sqrt(1 - abar_t') n_real}, predicted branch
 *       {@code x_hat_t' = sqrt(abar_t') x0_hat + sqrt(1 - abar_t') n_pred}, with {@code (n_real,
 *       n_pred)} per {@link NoisePairing};
 *   <li>{@code h(.)}: the frozen perceptual network's features ({@link DiffusionNet#features}) at
 *       {@code t'} with the same condition;
 *   <li>{@code L_sp = distance(h(x_hat_t'), h(x_t'))}, the mean over feature elements; with several
 *       layers, the mean of the per-layer means (each layer counts equally whatever its size);
 *   <li>{@code L = L_sp + lambda L_mse}.
 * </ol>
 *
 * <p>The real branch's inputs need no gradient and the perceptual parameters are frozen, so it
 * records no graph; the predicted branch backpropagates through the frozen network into the online
 * prediction.
 */
public final class SelfPerceptualLoss {
  private final SelfPerceptualConfig config;
  private final Parameterization parameterization;
  private final MseLoss mse;

  public SelfPerceptualLoss(
      SelfPerceptualConfig config, Parameterization parameterization, MseLoss mse) {
    this.config = config;
    this.parameterization = parameterization;
    this.mse = mse;
  }

  public SelfPerceptualConfig config() {
    return config;
  }

  /** The loss and its parts (scalars); {@code mse} is null when {@code lambda = 0}. */
  public record Terms(NDArray loss, NDArray selfPerceptual, NDArray mse) {}

  /**
   * @param perceptual the frozen stage-1 network {@code f_*}
   * @param x0 clean images {@code [N, C, H, W]}
   * @param eps the noise of {@code x_t}
   * @param c coefficients at the online {@code t}
   * @param xt the online input {@code x_t}
   * @param pred the online prediction {@code f_theta(x_t, t, c)} (carries the gradient)
   * @param labels class ids or null
   * @param cPrime coefficients at {@code t'}
   * @param fresh fresh noise for {@link NoisePairing#SHARED_FRESH} (ignored otherwise, may be null)
   */
  public Terms loss(
      DiffusionNet perceptual,
      ParameterStore ps,
      NDArray x0,
      NDArray eps,
      Coefficients c,
      NDArray xt,
      NDArray pred,
      NDArray labels,
      Coefficients cPrime,
      NDArray fresh) {
    X0Eps hat = parameterization.toX0Eps(pred, xt, c);
    NDArray nReal;
    NDArray nPred;
    switch (config.noisePairing()) {
      case PREDICTED -> {
        nReal = eps;
        nPred = hat.eps();
      }
      case SHARED_FRESH -> {
        if (fresh == null) {
          throw new IllegalArgumentException("shared-fresh pairing needs fresh noise");
        }
        nReal = fresh;
        nPred = fresh;
      }
      case TRUE -> {
        nReal = eps;
        nPred = eps;
      }
      default -> throw new IllegalStateException();
    }
    NDArray xReal = GaussianDiffusion.qSample(x0, nReal, cPrime);
    NDArray xPred = GaussianDiffusion.qSample(hat.x0(), nPred, cPrime);
    NDArray tp = GaussianDiffusion.timesteps(x0.getManager(), cPrime.t());
    NDList hReal = perceptual.features(ps, xReal, tp, labels, config.featureLayers(), false);
    NDList hPred = perceptual.features(ps, xPred, tp, labels, config.featureLayers(), false);
    if (hReal.size() != hPred.size() || hReal.isEmpty()) {
      throw new IllegalStateException(
          "perceptual network returned " + hReal.size() + " vs " + hPred.size() + " features");
    }
    NDArray sp = null;
    for (int l = 0; l < hReal.size(); l++) {
      NDArray d = config.distance().between(hPred.get(l), hReal.get(l));
      sp = sp == null ? d : sp.add(d);
    }
    if (hReal.size() > 1) {
      sp = sp.div(NativeArrays.scalar(sp, hReal.size()));
    }
    if (config.lambda() == 0.0) {
      return new Terms(sp, sp, null);
    }
    NDArray m = mse.loss(pred, x0, eps, c);
    return new Terms(sp.add(m.mul(NativeArrays.scalar(m, config.lambda()))), sp, m);
  }
}
