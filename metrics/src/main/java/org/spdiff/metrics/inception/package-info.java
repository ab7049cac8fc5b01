/**
 * The FID Inception-v3 of pytorch-fid ({@code pt_inception-2015-12-05}, the TTUR / TF FID network)
 * in DJL: the architecture with pytorch-fid's four feature blocks ({@link
 * org.spdiff.metrics.inception.InceptionV3Architecture}), its weights read from pytorch-fid's
 * {@code .pth} or a safetensors file with its state-dict names ({@link
 * org.spdiff.metrics.inception.InceptionWeights}), the two resizes ({@link
 * org.spdiff.metrics.inception.ResizeMethod}: pytorch-fid's {@link
 * org.spdiff.metrics.inception.BilinearResize}, clean-fid's {@link
 * org.spdiff.metrics.inception.PilBicubicResize}) and the extractor ({@link
 * org.spdiff.metrics.inception.InceptionV3Fid}).
 */
package org.spdiff.metrics.inception;
