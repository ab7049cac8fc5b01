/**
 * The scoring commands that work on what users of pytorch-fid, clean-fid and torch-fidelity hold:
 * {@code spdiff fid}, {@code spdiff stats}, {@code spdiff is}, {@code spdiff features}. Inputs are
 * told apart in {@link org.spdiff.pipelines.scores.ScoreInputs}; the Inception flags (weights,
 * download, resize, dims) in {@link org.spdiff.pipelines.scores.InceptionFlags}.
 */
package org.spdiff.pipelines.scores;
