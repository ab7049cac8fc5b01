/**
 * The scoring commands that work on plain folders, {@code .npy} feature matrices and {@code .npz}
 * statistics, like pytorch-fid and torch-fidelity: {@code spdiff fid} (also FID-infinity), {@code
 * spdiff stats}, {@code spdiff is}, {@code spdiff kid}, {@code spdiff prdc} and {@code spdiff
 * compare} (paired differences with 95% intervals). {@code ScoreInputs} decides what a path holds.
 */
package org.spdiff.pipelines.scores;
