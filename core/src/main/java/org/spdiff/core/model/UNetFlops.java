package org.spdiff.core.model;

/**
 * Floating-point operations of one {@link UNet} forward pass on one image, counted from its {@link
 * UNetConfig} (the layer walk of {@link UNet}'s constructor): every convolution, linear layer and
 * attention product as {@code 2 x multiply-adds}; normalisations, activations, softmax, additions
 * and resizes are left out (they are elementwise, a few percent at most). The count is the
 * architecture's, at its nominal channel counts: {@link ConvLayer} pads channels to 16-blocks on
 * CPU, which executes more (for a 1-channel input, 16 times the first convolution).
 *
 * <p>A training step costs about three forward passes per image (forward, and a backward of about
 * twice the forward); a self-perceptual step adds the frozen network up to its mid-block on two
 * branches and the backward through one of them.
 */
public final class UNetFlops {
  private UNetFlops() {}

  /** FLOPs ({@code 2 x} multiply-adds) of one forward pass on one {@code imageSize} image. */
  public static double forward(UNetConfig c) {
    return 2.0 * multiplyAdds(c, false);
  }

  /** FLOPs of the encoder and mid-block alone (the self-perceptual feature pass). */
  public static double toMidBlock(UNetConfig c) {
    return 2.0 * multiplyAdds(c, true);
  }

  static double multiplyAdds(UNetConfig c, boolean midOnly) {
    int emb = c.timeEmbedDim();
    double m = (double) c.timeSinusoidDim() * emb + (double) emb * emb;
    int size = c.imageSize();
    int ch = c.baseChannels();
    m += conv(c.inChannels(), ch, 3, size);
    java.util.ArrayDeque<Integer> skips = new java.util.ArrayDeque<>();
    skips.push(ch);
    int levels = c.numLevels();
    for (int l = 0; l < levels; l++) {
      int out = c.levelChannels(l);
      int h = c.levelSize(l);
      for (int i = 0; i < c.numResBlocks(); i++) {
        m += res(ch, out, emb, h);
        ch = out;
        if (c.attentionAt(l)) {
          m += attention(ch, h);
        }
        skips.push(ch);
      }
      if (l < levels - 1) {
        m += conv(ch, ch, 3, c.levelSize(l + 1));
        skips.push(ch);
      }
    }
    int h = c.levelSize(levels - 1);
    m += res(ch, ch, emb, h) + attention(ch, h) + res(ch, ch, emb, h);
    if (midOnly) {
      return m;
    }
    for (int l = levels - 1; l >= 0; l--) {
      int out = c.levelChannels(l);
      h = c.levelSize(l);
      for (int i = 0; i <= c.numResBlocks(); i++) {
        m += res(ch + skips.pop(), out, emb, h);
        ch = out;
        if (c.attentionAt(l)) {
          m += attention(ch, h);
        }
      }
      if (l > 0) {
        m += conv(ch, ch, 3, c.levelSize(l - 1));
      }
    }
    return m + conv(ch, c.outChannels(), 3, size);
  }

  /** Multiply-adds of a {@code k x k} convolution producing a {@code size x size} map. */
  private static double conv(int in, int out, int k, int size) {
    return (double) in * out * k * k * size * size;
  }

  private static double res(int in, int out, int emb, int size) {
    double m = conv(in, out, 3, size) + (double) emb * out + conv(out, out, 3, size);
    return in == out ? m : m + conv(in, out, 1, size);
  }

  /** qkv and proj (1x1), and the two {@code L x L x C} products over {@code L = size^2}. */
  private static double attention(int channels, int size) {
    double len = (double) size * size;
    return conv(channels, 3 * channels, 1, size)
        + 2 * len * len * channels
        + conv(channels, channels, 1, size);
  }
}
