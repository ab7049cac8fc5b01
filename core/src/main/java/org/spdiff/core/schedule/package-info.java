/**
 * Noise schedules: float64 tables of {@code beta_t}, {@code alpha_t} and {@code abar_t} for {@code
 * t in 1..T}, built by {@link org.spdiff.core.schedule.NoiseSchedules#named}.
 */
package org.spdiff.core.schedule;
