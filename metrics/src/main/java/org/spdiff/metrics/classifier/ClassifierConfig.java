package org.spdiff.metrics.classifier;

/**
 * Training and architecture settings of a {@link DomainClassifier}.
 *
 * <p>Architecture: three 3x3 conv units (conv without bias, BatchNorm, ReLU) of {@code width1},
 * {@code width2}, {@code width3} channels, a 2x2 max pool after the first two, flatten, a dense
 * layer of {@code featureDims} units with BatchNorm and ReLU (the penultimate features), and a
 * dense layer to the class logits. For 28x28 inputs: 28 -> 14 -> 7.
 *
 * @param seed seeds initialisation, the train / held-out split and the batch order
 * @param epochs passes over the training part
 * @param batchSize images per step
 * @param learningRate Adam learning rate
 * @param heldOutFraction fraction of the images kept out of training to measure accuracy, in [0, 1)
 * @param width1 channels of the first conv
 * @param width2 channels of the second conv
 * @param width3 channels of the third conv
 * @param featureDims penultimate feature dimension
 */
public record ClassifierConfig(
    long seed,
    int epochs,
    int batchSize,
    double learningRate,
    double heldOutFraction,
    int width1,
    int width2,
    int width3,
    int featureDims) {

  /** Validates every field; a bad value fails naming it. */
  public ClassifierConfig {
    positive("epochs", epochs);
    positive("batchSize", batchSize);
    positive("width1", width1);
    positive("width2", width2);
    positive("width3", width3);
    positive("featureDims", featureDims);
    for (int w : new int[] {width1, width2, width3}) {
      if (w % 16 != 0) {
        // libtorch 2.7.1's oneDNN convolutions read uninitialised channel padding when the output
        // channels do not fill whole blocks: outputs and gradients change from call to call and
        // turn NaN (measured on the AMD EPYC machines here; see core's ConvLayer).
        throw new IllegalArgumentException(
            "conv widths must be multiples of 16 (libtorch's CPU convolutions are not repeatable"
                + " otherwise), got "
                + width1
                + "/"
                + width2
                + "/"
                + width3);
      }
    }
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be positive, got " + learningRate);
    }
    if (!(heldOutFraction >= 0 && heldOutFraction < 1)) {
      throw new IllegalArgumentException(
          "heldOutFraction must be in [0, 1), got " + heldOutFraction);
    }
  }

  /** seed 0, 4 epochs, batch 128, lr 1e-3, 10% held out, widths 32/64/64, 128 features. */
  public static ClassifierConfig defaults() {
    return new ClassifierConfig(0, 4, 128, 1e-3, 0.1, 32, 64, 64, 128);
  }

  /** A copy with another seed. */
  public ClassifierConfig withSeed(long s) {
    return new ClassifierConfig(
        s, epochs, batchSize, learningRate, heldOutFraction, width1, width2, width3, featureDims);
  }

  /** A copy with another number of epochs. */
  public ClassifierConfig withEpochs(int e) {
    return new ClassifierConfig(
        seed, e, batchSize, learningRate, heldOutFraction, width1, width2, width3, featureDims);
  }

  /** A copy with other widths. */
  public ClassifierConfig withWidths(int w1, int w2, int w3, int features) {
    return new ClassifierConfig(
        seed, epochs, batchSize, learningRate, heldOutFraction, w1, w2, w3, features);
  }

  /** A copy with another batch size and learning rate. */
  public ClassifierConfig withOptimizer(int batch, double lr) {
    return new ClassifierConfig(
        seed, epochs, batch, lr, heldOutFraction, width1, width2, width3, featureDims);
  }

  private static void positive(String name, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + v);
    }
  }
}
