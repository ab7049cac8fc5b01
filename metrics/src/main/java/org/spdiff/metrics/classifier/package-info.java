/**
 * A small domain classifier CNN (e.g. for Fashion-MNIST) trained on uint8 images, whose penultimate
 * features replace Inception pool3 for FID and whose logits replace Inception's for IS on domains
 * far from ImageNet. Saved as safetensors weights plus a JSON record of config and accuracy.
 */
package org.spdiff.metrics.classifier;
