/**
 * Training: the typed {@link org.spdiff.core.train.TrainConfig}, the step loop {@link
 * org.spdiff.core.train.DiffusionTrainer} (AdamW by hand, warmup, global-norm clipping, EMA,
 * non-finite guard, checkpoints and exact resume) and seeded batch draws.
 */
package org.spdiff.core.train;
