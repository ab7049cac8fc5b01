/**
 * File formats users exchange: pytorch-fid {@code .npz} statistics ({@code mu}, {@code sigma},
 * float64), numpy {@code .npy} (N, d) float32/float64 matrices read and written ({@link
 * org.spdiff.metrics.io.NpyMatrix}), PyTorch {@code torch.save} state dicts read without Python
 * ({@link org.spdiff.metrics.io.TorchCheckpoint}, {@link org.spdiff.metrics.io.PickleReader}),
 * {@code .npz} image batches ({@link org.spdiff.metrics.io.ImageBatchNpz}), and download on first
 * use into a local cache ({@link org.spdiff.metrics.io.CachedDownload}).
 */
package org.spdiff.metrics.io;
