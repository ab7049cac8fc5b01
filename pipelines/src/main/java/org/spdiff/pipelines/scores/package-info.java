/**
 * The scoring commands that work on what users of pytorch-fid, clean-fid and torch-fidelity hold:
 * {@code spdiff fid} (also FID-infinity), {@code spdiff stats}, {@code spdiff is}, {@code spdiff
 * features}, {@code spdiff kid}, {@code spdiff prdc} and {@code spdiff compare} (paired differences
 * with 95% intervals). {@link org.spdiff.pipelines.scores.ScoreInputs} decides what a path holds
 * (image folder, {@code .npz} image batch, prepared split, {@code .npy} feature matrix, {@code
 * .npz} statistics) and turns it into moments, rows or images; {@link
 * org.spdiff.pipelines.scores.ScoreNetwork} opens the feature network the flags name, with the
 * Inception flags (weights, download, resize, dims) of {@link
 * org.spdiff.pipelines.scores.InceptionFlags}.
 */
package org.spdiff.pipelines.scores;
