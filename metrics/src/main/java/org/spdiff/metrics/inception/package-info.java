/**
 * The FID Inception-v3 of pytorch-fid ({@code pt_inception-2015-12-05}, the TTUR / TF FID network)
 * in DJL: the architecture ({@link org.spdiff.metrics.inception.InceptionV3Architecture}), its
 * weights read from a safetensors file with pytorch-fid's state-dict keys ({@link
 * org.spdiff.metrics.inception.InceptionWeights}), pytorch-fid's preprocessing ({@link
 * org.spdiff.metrics.inception.BilinearResize}) and the extractor ({@link
 * org.spdiff.metrics.inception.InceptionV3Fid}).
 */
package org.spdiff.metrics.inception;
