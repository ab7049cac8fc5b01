package org.spdiff.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A denoising network as the diffusion process sees it: it maps a noisy image and a timestep (and
 * optionally a class) to the parameterization's target, and can stop early to return hidden
 * features for the self-perceptual loss. The network knows nothing of schedules or losses.
 */
public interface DiffusionNet {

  /**
   * The model output for a batch.
   *
   * @param xt noisy images, float32 {@code [N, C, H, W]}
   * @param t timesteps, int64 {@code [N]}, values in {@code 1..T}
   * @param labels class ids, int64 {@code [N]} with {@code numClasses} meaning "no condition" (the
   *     null class for classifier-free guidance); {@code null} for an unconditional network
   * @param training whether dropout is active
   * @return the prediction, float32 {@code [N, C, H, W]} (eps, v or x0 per the parameterization)
   */
  NDArray predict(ParameterStore ps, NDArray xt, NDArray t, NDArray labels, boolean training);

  /**
   * Hidden features for the perceptual loss, computing no more of the network than needed: with
   * {@link FeatureLayers#MID} the decoder is never run.
   *
   * @return one array per selected layer, each {@code [N, C_l, H_l, W_l]}
   */
  NDList features(
      ParameterStore ps,
      NDArray xt,
      NDArray t,
      NDArray labels,
      FeatureLayers layers,
      boolean training);

  /** The DJL block that owns the parameters (for initialisation, freezing, saving). */
  Block block();

  /** Number of classes of a conditional net (the null class is this id); 0 if unconditional. */
  int numClasses();
}
