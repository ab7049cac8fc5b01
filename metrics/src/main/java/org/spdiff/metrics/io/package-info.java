/** File formats: pytorch-fid {@code .npz} statistics ({@code mu}, {@code sigma}, float64). */
package org.spdiff.metrics.io;
