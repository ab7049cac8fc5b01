/**
 * Dense float64 matrix products behind one small interface: a pure-Java reference and a libtorch
 * (DJL) implementation that is one to two orders of magnitude faster at d = 2048. Matrices are
 * row-major flat {@code double[]}.
 */
package org.spdiff.metrics.linalg;
