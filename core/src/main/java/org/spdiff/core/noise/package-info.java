/**
 * Counter-based seeded randomness: every draw is a pure function of a seed and a few counters
 * (sample index, training step, stream), so results do not depend on batch composition, worker or
 * on where a run was resumed.
 */
package org.spdiff.core.noise;
