/**
 * Timestep samplers for {@code t} (online) and {@code t'} (perceptual), behind the named factory
 * {@link org.spdiff.core.timestep.TimestepSamplers#parse}.
 */
package org.spdiff.core.timestep;
