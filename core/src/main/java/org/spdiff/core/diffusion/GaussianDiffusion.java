package org.spdiff.core.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.spdiff.core.engine.NativeArrays;
import org.spdiff.core.schedule.NoiseSchedule;

/**
 * The forward process {@code q(x_t | x0) = N(sqrt(abar_t) x0, (1 - abar_t) I)} of a schedule.
 * Stateless apart from the schedule; networks are passed in by callers.
 */
public final class GaussianDiffusion {
  private final NoiseSchedule schedule;

  public GaussianDiffusion(NoiseSchedule schedule) {
    this.schedule = schedule;
  }

  public NoiseSchedule schedule() {
    return schedule;
  }

  public int T() {
    return schedule.T();
  }

  /**
   * Gathers {@code sqrt(abar_t)} and {@code sqrt(1 - abar_t)} per sample from the float64 table
   * into float32 {@code [N,1,1,1]} arrays owned by {@code manager}. {@code t} may include 0 ({@code
   * abar_0 = 1}).
   */
  public Coefficients coefficients(NDManager manager, long[] t) {
    int n = t.length;
    double[] ab = new double[n];
    float[] a = new float[n];
    float[] s = new float[n];
    for (int i = 0; i < n; i++) {
      ab[i] = schedule.alphaBar(t[i]);
      a[i] = (float) Math.sqrt(ab[i]);
      s[i] = (float) Math.sqrt(1.0 - ab[i]);
    }
    Shape shape = new Shape(n, 1, 1, 1);
    return new Coefficients(
        t.clone(), ab, NativeArrays.of(manager, a, shape), NativeArrays.of(manager, s, shape));
  }

  /** The same timestep for all {@code n} samples. */
  public Coefficients coefficients(NDManager manager, long t, int n) {
    long[] ts = new long[n];
    Arrays.fill(ts, t);
    return coefficients(manager, ts);
  }

  /** {@code x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps}, per sample. */
  public NDArray qSample(NDArray x0, long[] t, NDArray eps) {
    return qSample(x0, eps, coefficients(x0.getManager(), t));
  }

  /** {@code x_t} from precomputed coefficients. */
  public static NDArray qSample(NDArray x0, NDArray eps, Coefficients c) {
    return x0.mul(c.sqrtAlphaBar()).addi(eps.mul(c.sqrtOneMinusAlphaBar()));
  }

  /** The regression target of {@code p} at timesteps {@code t} (METHOD.md notation). */
  public NDArray target(Parameterization p, NDArray x0, NDArray eps, long[] t) {
    return p.target(x0, eps, coefficients(x0.getManager(), t));
  }

  /**
   * {@code (x0_hat, eps_hat)} from a prediction of {@code p} at {@code x_t}, timesteps {@code t}.
   */
  public X0Eps toX0Eps(Parameterization p, NDArray pred, NDArray xt, long[] t) {
    return p.toX0Eps(pred, xt, coefficients(xt.getManager(), t));
  }

  /** {@code t} as an int64 {@code [N]} array for the network. */
  public static NDArray timesteps(NDManager manager, long[] t) {
    return NativeArrays.of(manager, t);
  }
}
