package org.spdiff.core.loss;

import ai.djl.ndarray.NDArray;
import org.spdiff.core.diffusion.Coefficients;
import org.spdiff.core.diffusion.Parameterization;
import org.spdiff.core.engine.NativeArrays;

/**
 * {@code || f(x_t, t, c) - target ||^2}: the mean over {@code C, H, W} per sample, then the mean
 * over the batch, optionally weighted per sample by min-SNR-gamma (Hang et al. 2023).
 */
public final class MseLoss {
  private final Parameterization parameterization;
  private final double minSnrGamma;

  /**
   * @param minSnrGamma the min-SNR {@code gamma}; {@code 0} or less means unweighted
   */
  public MseLoss(Parameterization parameterization, double minSnrGamma) {
    this.parameterization = parameterization;
    this.minSnrGamma = minSnrGamma;
  }

  /**
   * @param pred the network output, {@code [N, C, H, W]}
   * @param x0 clean images, {@code [N, C, H, W]}
   * @param eps the noise of {@code x_t}, {@code [N, C, H, W]}
   * @return a scalar
   */
  public NDArray loss(NDArray pred, NDArray x0, NDArray eps, Coefficients c) {
    NDArray target = parameterization.target(x0, eps, c);
    long n0 = pred.getShape().get(0);
    NDArray perSample = pred.sub(target).square().reshape(n0, -1).mean(new int[] {1});
    if (minSnrGamma <= 0) {
      return perSample.mean();
    }
    int n = c.alphaBar().length;
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) parameterization.minSnrWeight(c.alphaBar()[i], minSnrGamma);
    }
    return perSample.mul(NativeArrays.of(pred.getManager(), w)).mean();
  }
}
