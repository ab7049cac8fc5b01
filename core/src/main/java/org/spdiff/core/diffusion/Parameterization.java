package org.spdiff.core.diffusion;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What the network predicts. With {@code a = sqrt(abar_t)}, {@code s = sqrt(1 - abar_t)} and {@code
 * x_t = a x0 + s eps} (METHOD.md):
 *
 * <ul>
 *   <li>{@link #EPS}: target {@code eps}; {@code x0_hat = (x_t - s eps_hat) / a}. Undefined where
 *       {@code abar_t = 0} (zero terminal SNR): {@link #toX0Eps} throws there rather than divide by
 *       zero, so eps-prediction must not be combined with a zero-terminal-SNR schedule.
 *   <li>{@link #V}: target {@code v = a eps - s x0}; {@code x0_hat = a x_t - s v_hat}, {@code
 *       eps_hat = a v_hat + s x_t} (Salimans &amp; Ho 2022).
 *   <li>{@link #X0}: target {@code x0}; {@code eps_hat = (x_t - a x0_hat) / s} ({@code s > 0} for
 *       every {@code t >= 1}).
 * </ul>
 */
public enum Parameterization {
  EPS {
    @Override
    public NDArray target(NDArray x0, NDArray eps, Coefficients c) {
      return eps.duplicate();
    }

    @Override
    public X0Eps toX0Eps(NDArray pred, NDArray xt, Coefficients c) {
      for (int i = 0; i < c.alphaBar().length; i++) {
        if (c.alphaBar()[i] <= 0.0) {
          throw new IllegalArgumentException(
              "eps-prediction cannot recover x0 at t="
                  + c.t()[i]
                  + " where abar_t = 0 (zero terminal SNR); use v- or x0-prediction");
        }
      }
      NDArray x0 = xt.sub(pred.mul(c.sqrtOneMinusAlphaBar())).divi(c.sqrtAlphaBar());
      return new X0Eps(x0, pred);
    }
  },
  V {
    @Override
    public NDArray target(NDArray x0, NDArray eps, Coefficients c) {
      return eps.mul(c.sqrtAlphaBar()).subi(x0.mul(c.sqrtOneMinusAlphaBar()));
    }

    @Override
    public X0Eps toX0Eps(NDArray pred, NDArray xt, Coefficients c) {
      NDArray x0 = xt.mul(c.sqrtAlphaBar()).subi(pred.mul(c.sqrtOneMinusAlphaBar()));
      NDArray eps = pred.mul(c.sqrtAlphaBar()).addi(xt.mul(c.sqrtOneMinusAlphaBar()));
      return new X0Eps(x0, eps);
    }
  },
  X0 {
    @Override
    public NDArray target(NDArray x0, NDArray eps, Coefficients c) {
      return x0.duplicate();
    }

    @Override
    public X0Eps toX0Eps(NDArray pred, NDArray xt, Coefficients c) {
      NDArray eps = xt.sub(pred.mul(c.sqrtAlphaBar())).divi(c.sqrtOneMinusAlphaBar());
      return new X0Eps(pred, eps);
    }
  };

  /** The regression target for {@code (x0, eps)} at the coefficients' timesteps. */
  public abstract NDArray target(NDArray x0, NDArray eps, Coefficients c);

  /** Converts a prediction at {@code x_t} into {@code (x0_hat, eps_hat)}. */
  public abstract X0Eps toX0Eps(NDArray pred, NDArray xt, Coefficients c);

  /**
   * Min-SNR-gamma loss weight (Hang et al. 2023) for this parameterization's MSE: with {@code snr =
   * abar/(1-abar)}, eps: {@code min(snr, g)/snr}; v: {@code min(snr, g)/(snr + 1)}; x0: {@code
   * min(snr, g)}.
   */
  public double minSnrWeight(double alphaBar, double gamma) {
    double snr = alphaBar / (1.0 - alphaBar);
    double m = Math.min(snr, gamma);
    return switch (this) {
      case EPS -> snr == 0.0 ? 0.0 : m / snr;
      case V -> m / (snr + 1.0);
      case X0 -> m;
    };
  }

  /** The spec name: {@code eps}, {@code v} or {@code x0}. */
  @JsonValue
  public String spec() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code eps}, {@code v} or {@code x0} (case-insensitive). */
  @JsonCreator
  public static Parameterization parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "eps", "epsilon" -> EPS;
      case "v", "v-prediction" -> V;
      case "x0", "sample" -> X0;
      default ->
          throw new IllegalArgumentException("unknown parameterization '" + s + "' (eps, v, x0)");
    };
  }
}
