package org.spdiff.metrics.inception;

/**
 * One {@code BasicConv2d} of the Inception network: a bias-free convolution, BatchNorm (eps 0.001)
 * and ReLU. Its state-dict keys are {@code name.conv.weight} (out, in, kh, kw) and {@code
 * name.bn.{weight,bias,running_mean,running_var}} (out).
 *
 * @param name module path, e.g. {@code Mixed_6b.branch7x7_2}
 * @param in input channels
 * @param out output channels
 * @param kh kernel height
 * @param kw kernel width
 * @param stride stride (both axes)
 * @param padH zero padding rows
 * @param padW zero padding columns
 */
public record ConvSpec(
    String name, int in, int out, int kh, int kw, int stride, int padH, int padW) {}
