/**
 * Checkpoints: weights, EMA weights and optimizer state as safetensors looked up by parameter name,
 * plus a JSON manifest (format version, step, seed, configs, file sizes and SHA-256) written last,
 * through a {@link org.spdiff.core.checkpoint.CheckpointStore} whose {@code put} is atomic.
 */
package org.spdiff.core.checkpoint;
