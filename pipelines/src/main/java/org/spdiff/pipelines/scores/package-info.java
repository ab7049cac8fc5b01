/**
 * The scoring commands that work on plain folders and {@code .npz} files, like pytorch-fid and
 * torch-fidelity: {@code spdiff fid}, {@code spdiff stats}, {@code spdiff is}.
 */
package org.spdiff.pipelines.scores;
