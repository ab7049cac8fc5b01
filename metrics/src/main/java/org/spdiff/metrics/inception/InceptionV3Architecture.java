package org.spdiff.metrics.inception;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * pytorch-fid's FID Inception-v3 ({@code fid_inception_v3}: torchvision's Inception-v3 with 1008
 * classes, no aux head, no input transform, and the blocks patched to match the 2015 TF graph):
 * {@code FIDInceptionA} / {@code FIDInceptionC} / {@code FIDInceptionE_1} average-pool their pool
 * branch with {@code count_include_pad=False}; {@code FIDInceptionE_2} (Mixed_7c) max-pools it;
 * InceptionB (Mixed_6a) and InceptionD (Mixed_7a) are torchvision's. Every conv is a {@link
 * ConvSpec} (bias-free conv, BatchNorm eps 0.001, ReLU).
 *
 * <p>Input (n, 3, 299, 299) in [-1, 1]; outputs pool3 (n, 2048) (global average of Mixed_7c) and
 * logits (n, 1008) = {@code pool3 fc.weight^T + fc.bias}. Spatial sizes: 299 -> 149 -> 147 -> 147
 * -> 73 -> 73 -> 71 -> 35 (Mixed_5*) -> 17 (Mixed_6*) -> 8 (Mixed_7*). This class only builds the
 * network: it knows the parameter names and shapes and the forward wiring, nothing about files.
 */
public final class InceptionV3Architecture {
  /** Feature (pool3) dimension. */
  public static final int POOL_DIMS = 2048;

  /** Logit classes of the TF Inception (1000 ImageNet classes + 8 unused). */
  public static final int CLASSES = 1008;

  /** Input resolution. */
  public static final int SIZE = 299;

  /** BatchNorm epsilon of every BasicConv2d. */
  public static final float BN_EPS = 0.001f;

  private static final Map<String, ConvSpec> CONVS = buildConvs();

  private InceptionV3Architecture() {}

  /** All convolutions in forward order. */
  public static List<ConvSpec> convs() {
    return List.copyOf(CONVS.values());
  }

  /**
   * The state-dict keys of pytorch-fid's {@code pt_inception-2015-12-05-6726825d.pth} with their
   * shapes (472 tensors), in forward order.
   */
  public static Map<String, Shape> parameterShapes() {
    Map<String, Shape> m = new LinkedHashMap<>();
    for (ConvSpec c : CONVS.values()) {
      m.put(c.name() + ".conv.weight", new Shape(c.out(), c.in(), c.kh(), c.kw()));
      for (String p : new String[] {"weight", "bias", "running_mean", "running_var"}) {
        m.put(c.name() + ".bn." + p, new Shape(c.out()));
      }
    }
    m.put("fc.weight", new Shape(CLASSES, POOL_DIMS));
    m.put("fc.bias", new Shape(CLASSES));
    return Collections.unmodifiableMap(m);
  }

  /**
   * Parameters of the forward pass: for each conv name, the conv weight with its BatchNorm folded
   * in ({@code w * gamma / sqrt(var + eps)}) and the matching bias ({@code beta - mean * gamma /
   * sqrt(var + eps)}); plus the classifier {@code fc}.
   */
  public interface Parameters {
    /** Folded conv weight (out, in, kh, kw). */
    NDArray weight(String conv);

    /** Folded conv bias (out). */
    NDArray bias(String conv);

    /** {@code fc.weight} transposed, (2048, 1008). */
    NDArray fcWeightTransposed();

    /** {@code fc.bias} (1008). */
    NDArray fcBias();
  }

  /**
   * pytorch-fid's {@code --dims}: the feature dimensions of its four output blocks, the end of each
   * block averaged over space ({@code adaptive_avg_pool2d} to 1 x 1): 64 after the first max pool
   * (73 x 73), 192 after the second (35 x 35), 768 after Mixed_6e (17 x 17, the input of the aux
   * head), 2048 after Mixed_7c (8 x 8, pool3, the FID standard).
   */
  public static final List<Integer> BLOCK_DIMS = List.of(64, 192, 768, POOL_DIMS);

  /**
   * Forward pass to pool3.
   *
   * @param x (n, 3, 299, 299) float32 in [-1, 1]
   * @param p folded parameters
   * @return pool3 features (n, 2048)
   */
  public static NDArray pool3(NDArray x, Parameters p) {
    return features(x, p, POOL_DIMS);
  }

  /**
   * Forward pass up to the block of {@code dims} features (one of {@link #BLOCK_DIMS}); later
   * blocks are not run.
   *
   * @param x (n, 3, 299, 299) float32 in [-1, 1]
   * @return (n, dims), the block's output averaged over space
   */
  public static NDArray features(NDArray x, Parameters p, int dims) {
    if (!BLOCK_DIMS.contains(dims)) {
      throw new IllegalArgumentException(
          "dims must be one of pytorch-fid's blocks " + BLOCK_DIMS + ", got " + dims);
    }
    x = conv(x, p, "Conv2d_1a_3x3");
    x = conv(x, p, "Conv2d_2a_3x3");
    x = conv(x, p, "Conv2d_2b_3x3");
    x = maxPool(x, 3, 2, 0);
    if (dims == 64) {
      return spatialMean(x);
    }
    x = conv(x, p, "Conv2d_3b_1x1");
    x = conv(x, p, "Conv2d_4a_3x3");
    x = maxPool(x, 3, 2, 0);
    if (dims == 192) {
      return spatialMean(x);
    }
    x = inceptionA(x, p, "Mixed_5b");
    x = inceptionA(x, p, "Mixed_5c");
    x = inceptionA(x, p, "Mixed_5d");
    x = inceptionB(x, p, "Mixed_6a");
    x = inceptionC(x, p, "Mixed_6b");
    x = inceptionC(x, p, "Mixed_6c");
    x = inceptionC(x, p, "Mixed_6d");
    x = inceptionC(x, p, "Mixed_6e");
    if (dims == 768) {
      return spatialMean(x);
    }
    x = inceptionD(x, p, "Mixed_7a");
    x = inceptionE(x, p, "Mixed_7b", false);
    x = inceptionE(x, p, "Mixed_7c", true);
    return spatialMean(x);
  }

  /** (n, c, h, w) -> (n, c): the mean over space. */
  private static NDArray spatialMean(NDArray x) {
    Shape s = x.getShape();
    return x.reshape(s.get(0), s.get(1), s.get(2) * s.get(3)).mean(new int[] {2});
  }

  /** Logits (n, 1008) from pool3 features (n, 2048); without the fc bias if {@code unbiased}. */
  public static NDArray logits(NDArray pool3, Parameters p, boolean unbiased) {
    NDArray l = pool3.matMul(p.fcWeightTransposed());
    return unbiased ? l : l.add(p.fcBias());
  }

  private static NDArray conv(NDArray x, Parameters p, String name) {
    ConvSpec c = CONVS.get(name);
    NDArray y =
        Conv2d.conv2d(
                x,
                p.weight(name),
                p.bias(name),
                new Shape(c.stride(), c.stride()),
                new Shape(c.padH(), c.padW()),
                new Shape(1, 1),
                1)
            .singletonOrThrow();
    return Activation.relu(y);
  }

  private static NDArray maxPool(NDArray x, int k, int stride, int pad) {
    return Pool.maxPool2d(
        x, new Shape(k, k), new Shape(stride, stride), new Shape(pad, pad), false);
  }

  /**
   * 3x3 stride-1 pad-1 average pool over the valid (unpadded) pixels only ({@code
   * count_include_pad=False}). DJL 0.36's PyTorch engine ignores {@code countIncludePad=false} in
   * {@link Pool#avgPool2d} (found by the torch oracle test), so the zero-padded average is divided
   * by the fraction of valid pixels in each window, {@code avgpool(ones)}.
   */
  static NDArray avgPoolExcludePad(NDArray x) {
    Shape k = new Shape(3, 3);
    Shape s = new Shape(1, 1);
    Shape p = new Shape(1, 1);
    NDArray sum = Pool.avgPool2d(x, k, s, p, false, true);
    NDArray valid =
        Pool.avgPool2d(
            x.getManager().ones(new Shape(1, 1, x.getShape().get(2), x.getShape().get(3))),
            k,
            s,
            p,
            false,
            true);
    return sum.div(valid);
  }

  private static NDArray cat(NDArray... parts) {
    return NDArrays.concat(new NDList(parts), 1);
  }

  private static NDArray inceptionA(NDArray x, Parameters p, String n) {
    NDArray b1 = conv(x, p, n + ".branch1x1");
    NDArray b5 = conv(conv(x, p, n + ".branch5x5_1"), p, n + ".branch5x5_2");
    NDArray b3 = conv(x, p, n + ".branch3x3dbl_1");
    b3 = conv(conv(b3, p, n + ".branch3x3dbl_2"), p, n + ".branch3x3dbl_3");
    NDArray bp = conv(avgPoolExcludePad(x), p, n + ".branch_pool");
    return cat(b1, b5, b3, bp);
  }

  private static NDArray inceptionB(NDArray x, Parameters p, String n) {
    NDArray b3 = conv(x, p, n + ".branch3x3");
    NDArray bd = conv(x, p, n + ".branch3x3dbl_1");
    bd = conv(conv(bd, p, n + ".branch3x3dbl_2"), p, n + ".branch3x3dbl_3");
    NDArray bp = maxPool(x, 3, 2, 0);
    return cat(b3, bd, bp);
  }

  private static NDArray inceptionC(NDArray x, Parameters p, String n) {
    NDArray b1 = conv(x, p, n + ".branch1x1");
    NDArray b7 = conv(x, p, n + ".branch7x7_1");
    b7 = conv(conv(b7, p, n + ".branch7x7_2"), p, n + ".branch7x7_3");
    NDArray bd = conv(x, p, n + ".branch7x7dbl_1");
    for (int i = 2; i <= 5; i++) {
      bd = conv(bd, p, n + ".branch7x7dbl_" + i);
    }
    NDArray bp = conv(avgPoolExcludePad(x), p, n + ".branch_pool");
    return cat(b1, b7, bd, bp);
  }

  private static NDArray inceptionD(NDArray x, Parameters p, String n) {
    NDArray b3 = conv(conv(x, p, n + ".branch3x3_1"), p, n + ".branch3x3_2");
    NDArray b7 = conv(x, p, n + ".branch7x7x3_1");
    for (int i = 2; i <= 4; i++) {
      b7 = conv(b7, p, n + ".branch7x7x3_" + i);
    }
    NDArray bp = maxPool(x, 3, 2, 0);
    return cat(b3, b7, bp);
  }

  private static NDArray inceptionE(NDArray x, Parameters p, String n, boolean maxPoolBranch) {
    NDArray b1 = conv(x, p, n + ".branch1x1");
    NDArray b3 = conv(x, p, n + ".branch3x3_1");
    b3 = cat(conv(b3, p, n + ".branch3x3_2a"), conv(b3, p, n + ".branch3x3_2b"));
    NDArray bd = conv(conv(x, p, n + ".branch3x3dbl_1"), p, n + ".branch3x3dbl_2");
    bd = cat(conv(bd, p, n + ".branch3x3dbl_3a"), conv(bd, p, n + ".branch3x3dbl_3b"));
    NDArray pooled = maxPoolBranch ? maxPool(x, 3, 1, 1) : avgPoolExcludePad(x);
    NDArray bp = conv(pooled, p, n + ".branch_pool");
    return cat(b1, b3, bd, bp);
  }

  private static Map<String, ConvSpec> buildConvs() {
    List<ConvSpec> l = new ArrayList<>();
    l.add(new ConvSpec("Conv2d_1a_3x3", 3, 32, 3, 3, 2, 0, 0));
    l.add(new ConvSpec("Conv2d_2a_3x3", 32, 32, 3, 3, 1, 0, 0));
    l.add(new ConvSpec("Conv2d_2b_3x3", 32, 64, 3, 3, 1, 1, 1));
    l.add(new ConvSpec("Conv2d_3b_1x1", 64, 80, 1, 1, 1, 0, 0));
    l.add(new ConvSpec("Conv2d_4a_3x3", 80, 192, 3, 3, 1, 0, 0));
    specA(l, "Mixed_5b", 192, 32);
    specA(l, "Mixed_5c", 256, 64);
    specA(l, "Mixed_5d", 288, 64);
    l.add(new ConvSpec("Mixed_6a.branch3x3", 288, 384, 3, 3, 2, 0, 0));
    l.add(new ConvSpec("Mixed_6a.branch3x3dbl_1", 288, 64, 1, 1, 1, 0, 0));
    l.add(new ConvSpec("Mixed_6a.branch3x3dbl_2", 64, 96, 3, 3, 1, 1, 1));
    l.add(new ConvSpec("Mixed_6a.branch3x3dbl_3", 96, 96, 3, 3, 2, 0, 0));
    specC(l, "Mixed_6b", 128);
    specC(l, "Mixed_6c", 160);
    specC(l, "Mixed_6d", 160);
    specC(l, "Mixed_6e", 192);
    l.add(new ConvSpec("Mixed_7a.branch3x3_1", 768, 192, 1, 1, 1, 0, 0));
    l.add(new ConvSpec("Mixed_7a.branch3x3_2", 192, 320, 3, 3, 2, 0, 0));
    l.add(new ConvSpec("Mixed_7a.branch7x7x3_1", 768, 192, 1, 1, 1, 0, 0));
    l.add(new ConvSpec("Mixed_7a.branch7x7x3_2", 192, 192, 1, 7, 1, 0, 3));
    l.add(new ConvSpec("Mixed_7a.branch7x7x3_3", 192, 192, 7, 1, 1, 3, 0));
    l.add(new ConvSpec("Mixed_7a.branch7x7x3_4", 192, 192, 3, 3, 2, 0, 0));
    specE(l, "Mixed_7b", 1280);
    specE(l, "Mixed_7c", 2048);
    Map<String, ConvSpec> m = new LinkedHashMap<>();
    for (ConvSpec c : l) {
      m.put(c.name(), c);
    }
    return Collections.unmodifiableMap(m);
  }

  private static void specA(List<ConvSpec> l, String n, int in, int poolFeatures) {
    l.add(new ConvSpec(n + ".branch1x1", in, 64, 1, 1, 1, 0, 0));
    l.add(new ConvSpec(n + ".branch5x5_1", in, 48, 1, 1, 1, 0, 0));
    l.add(new ConvSpec(n + ".branch5x5_2", 48, 64, 5, 5, 1, 2, 2));
    l.add(new ConvSpec(n + ".branch3x3dbl_1", in, 64, 1, 1, 1, 0, 0));
    l.add(new ConvSpec(n + ".branch3x3dbl_2", 64, 96, 3, 3, 1, 1, 1));
    l.add(new ConvSpec(n + ".branch3x3dbl_3", 96, 96, 3, 3, 1, 1, 1));
    l.add(new ConvSpec(n + ".branch_pool", in, poolFeatures, 1, 1, 1, 0, 0));
  }

  private static void specC(List<ConvSpec> l, String n, int c7) {
    l.add(new ConvSpec(n + ".branch1x1", 768, 192, 1, 1, 1, 0, 0));
    l.add(new ConvSpec(n + ".branch7x7_1", 768, c7, 1, 1, 1, 0, 0));
    l.add(new ConvSpec(n + ".branch7x7_2", c7, c7, 1, 7, 1, 0, 3));
    l.add(new ConvSpec(n + ".branch7x7_3", c7, 192, 7, 1, 1, 3, 0));
    l.add(new ConvSpec(n + ".branch7x7dbl_1", 768, c7, 1, 1, 1, 0, 0));
    l.add(new ConvSpec(n + ".branch7x7dbl_2", c7, c7, 7, 1, 1, 3, 0));
    l.add(new ConvSpec(n + ".branch7x7dbl_3", c7, c7, 1, 7, 1, 0, 3));
    l.add(new ConvSpec(n + ".branch7x7dbl_4", c7, c7, 7, 1, 1, 3, 0));
    l.add(new ConvSpec(n + ".branch7x7dbl_5", c7, 192, 1, 7, 1, 0, 3));
    l.add(new ConvSpec(n + ".branch_pool", 768, 192, 1, 1, 1, 0, 0));
  }

  private static void specE(List<ConvSpec> l, String n, int in) {
    l.add(new ConvSpec(n + ".branch1x1", in, 320, 1, 1, 1, 0, 0));
    l.add(new ConvSpec(n + ".branch3x3_1", in, 384, 1, 1, 1, 0, 0));
    l.add(new ConvSpec(n + ".branch3x3_2a", 384, 384, 1, 3, 1, 0, 1));
    l.add(new ConvSpec(n + ".branch3x3_2b", 384, 384, 3, 1, 1, 1, 0));
    l.add(new ConvSpec(n + ".branch3x3dbl_1", in, 448, 1, 1, 1, 0, 0));
    l.add(new ConvSpec(n + ".branch3x3dbl_2", 448, 384, 3, 3, 1, 1, 1));
    l.add(new ConvSpec(n + ".branch3x3dbl_3a", 384, 384, 1, 3, 1, 0, 1));
    l.add(new ConvSpec(n + ".branch3x3dbl_3b", 384, 384, 3, 1, 1, 1, 0));
    l.add(new ConvSpec(n + ".branch_pool", in, 192, 1, 1, 1, 0, 0));
  }
}
