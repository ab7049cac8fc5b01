package org.spdiff.metrics.inception;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.WorkerThreads;

/**
 * pytorch-fid's FID Inception-v3 as a {@link FeatureExtractor}: pool3 features (2048) and 1008-way
 * logits, or one of pytorch-fid's earlier blocks ({@code --dims} 64 / 192 / 768, features only).
 *
 * <p>Preprocessing is pytorch-fid's by default ({@link ResizeMethod#LEGACY_PYTORCH}): uint8 -> [0,
 * 1] ({@code / 255}), grayscale repeated to 3 channels, bilinear resize to 299 x 299 ({@code
 * align_corners=False}, no antialias; see {@link BilinearResize}), then {@code 2 x - 1}. With
 * {@link ResizeMethod#CLEAN} it is clean-fid's: each channel as float32 in [0, 255] through PIL's
 * antialiased bicubic ({@link PilBicubicResize}), clipped to [0, 255], then {@code / 255} and
 * {@code 2 x - 1}. Inference in float32 with BatchNorm folded into the convs. Logits are {@code
 * fc(pool3)} with bias by default; torch-fidelity's Inception Score uses them without the bias
 * ({@code logits_unbiased}).
 *
 * <p>Owns an {@link NDManager} with the weights: close it. Each call opens a sub-manager that is
 * closed before returning, so concurrent {@link #extract} calls do not share intermediate arrays.
 */
public final class InceptionV3Fid implements FeatureExtractor {
  /** Images per forward pass by default; larger inputs are processed in chunks of this size. */
  public static final int CHUNK = 50;

  private final NDManager manager;
  private final InceptionV3Architecture.Parameters params;
  private final String id;
  private final Config config;

  /**
   * How the network is used.
   *
   * @param unbiasedLogits return {@code pool3 fc.weight^T} without the bias (torch-fidelity's IS)
   * @param resize how inputs reach 299 x 299
   * @param dims feature block: 2048 (pool3, with logits) or pytorch-fid's 64, 192, 768 (no logits)
   * @param batch images per forward pass
   */
  public record Config(boolean unbiasedLogits, ResizeMethod resize, int dims, int batch) {
    /** pytorch-fid's defaults: biased logits, legacy resize, pool3, batches of {@value #CHUNK}. */
    public static final Config DEFAULT =
        new Config(false, ResizeMethod.LEGACY_PYTORCH, InceptionV3Architecture.POOL_DIMS, CHUNK);

    public Config {
      if (!InceptionV3Architecture.BLOCK_DIMS.contains(dims)) {
        throw new IllegalArgumentException(
            "dims must be one of pytorch-fid's blocks "
                + InceptionV3Architecture.BLOCK_DIMS
                + ", got "
                + dims);
      }
      if (batch < 1) {
        throw new IllegalArgumentException("batch must be >= 1, got " + batch);
      }
      if (resize == null) {
        throw new IllegalArgumentException("resize is required");
      }
    }

    public Config withResize(ResizeMethod r) {
      return new Config(unbiasedLogits, r, dims, batch);
    }

    public Config withDims(int d) {
      return new Config(unbiasedLogits, resize, d, batch);
    }

    public Config withBatch(int b) {
      return new Config(unbiasedLogits, resize, dims, b);
    }

    public Config withUnbiasedLogits(boolean u) {
      return new Config(u, resize, dims, batch);
    }
  }

  private InceptionV3Fid(
      NDManager manager, InceptionV3Architecture.Parameters params, String id, Config config) {
    this.manager = manager;
    this.params = params;
    this.id = id;
    this.config = config;
  }

  /** Loads weights with pytorch-fid key names (.pth or safetensors); pytorch-fid's defaults. */
  public static InceptionV3Fid load(Path weights) throws IOException {
    return load(weights, Config.DEFAULT);
  }

  /** Loads weights with pytorch-fid key names; logits without the fc bias if {@code unbiased}. */
  public static InceptionV3Fid load(Path weights, boolean unbiasedLogits) throws IOException {
    return load(weights, Config.DEFAULT.withUnbiasedLogits(unbiasedLogits));
  }

  /**
   * Loads weights with pytorch-fid key names: pytorch-fid's {@code .pth} as published (either
   * {@code torch.save} serialisation) or a safetensors file.
   *
   * @throws IllegalArgumentException naming the tensor if one is missing, extra or mis-shaped
   */
  public static InceptionV3Fid load(Path weights, Config config) throws IOException {
    NDManager m = NDManager.newBaseManager();
    try {
      Map<String, NDArray> raw = InceptionWeights.read(weights, m);
      InceptionV3Architecture.Parameters p = InceptionWeights.fold(raw);
      return new InceptionV3Fid(m, p, id(config, InceptionWeights.sha256Prefix(weights)), config);
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * The id: {@code pytorch-fid-inception-v3[/logits-unbiased][/dims=D]/resize=<method>@sha256:<16
   * hex of the weights file>}; {@code dims} appears only when it is not 2048.
   */
  static String id(Config c, String sha256Prefix) {
    return "pytorch-fid-inception-v3"
        + (c.unbiasedLogits() ? "/logits-unbiased" : "")
        + (c.dims() != InceptionV3Architecture.POOL_DIMS ? "/dims=" + c.dims() : "")
        + "/resize="
        + c.resize().id()
        + "@sha256:"
        + sha256Prefix;
  }

  /** How this network was configured. */
  public Config config() {
    return config;
  }

  @Override
  public int dims() {
    return config.dims();
  }

  /** 1008 with pool3 features; 0 for the earlier blocks (no logits). */
  @Override
  public int classes() {
    return config.dims() == InceptionV3Architecture.POOL_DIMS ? InceptionV3Architecture.CLASSES : 0;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Outputs extract(byte[][] images, int channels, int height, int width) {
    WorkerThreads.prepare();
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
    }
    int n = images.length;
    int size = channels * height * width;
    for (int i = 0; i < n; i++) {
      if (images[i].length != size) {
        throw new IllegalArgumentException(
            "image " + i + " has " + images[i].length + " bytes, expected " + size);
      }
    }
    float[][] features = new float[n][];
    float[][] logits = new float[n][];
    for (int from = 0; from < n; from += config.batch()) {
      int to = Math.min(n, from + config.batch());
      forward(images, from, to, channels, height, width, features, logits);
    }
    return new Outputs(features, logits);
  }

  private void forward(
      byte[][] images,
      int from,
      int to,
      int channels,
      int height,
      int width,
      float[][] features,
      float[][] logitsOut) {
    int n = to - from;
    try (NDManager sub = manager.newSubManager()) {
      NDArray x =
          config.resize() == ResizeMethod.CLEAN
              ? cleanInput(images, from, to, channels, height, width, sub)
              : preprocess(
                  unitPixels(images, from, to, channels, height, width, sub), sub, height, width);
      NDArray feats = InceptionV3Architecture.features(x, params, config.dims());
      float[][] f = rows(feats.toType(DataType.FLOAT32, false).toFloatArray(), n, dims());
      System.arraycopy(f, 0, features, from, n);
      if (classes() > 0) {
        NDArray logits = InceptionV3Architecture.logits(feats, params, config.unbiasedLogits());
        float[][] l = rows(logits.toFloatArray(), n, classes());
        System.arraycopy(l, 0, logitsOut, from, n);
      } else {
        for (int i = 0; i < n; i++) {
          logitsOut[from + i] = new float[0];
        }
      }
    }
  }

  /** (n, c, h, w) float32 in [0, 1]: {@code uint8 / 255}. */
  private static NDArray unitPixels(
      byte[][] images, int from, int to, int channels, int height, int width, NDManager sub) {
    int n = to - from;
    int size = channels * height * width;
    float[] pixels = new float[n * size];
    for (int i = 0; i < n; i++) {
      byte[] img = images[from + i];
      for (int j = 0; j < size; j++) {
        pixels[i * size + j] = (img[j] & 0xFF) / 255f;
      }
    }
    return sub.create(pixels, new Shape(n, channels, height, width));
  }

  /**
   * clean-fid's input: each channel as float32 in [0, 255], PIL's antialiased bicubic to 299 x 299,
   * clipped to [0, 255]; then {@code / 255} and {@code 2 x - 1}; grayscale repeated to 3 channels.
   *
   * @return (n, 3, 299, 299) in [-1, 1]
   */
  static NDArray cleanInput(
      byte[][] images, int from, int to, int channels, int height, int width, NDManager sub) {
    int s = InceptionV3Architecture.SIZE;
    int n = to - from;
    int plane = height * width;
    float[] out = new float[n * channels * s * s];
    float[] channel = new float[plane];
    for (int i = 0; i < n; i++) {
      byte[] img = images[from + i];
      for (int c = 0; c < channels; c++) {
        for (int j = 0; j < plane; j++) {
          channel[j] = img[c * plane + j] & 0xFF;
        }
        float[] r = PilBicubicResize.clip255(PilBicubicResize.resize(channel, height, width, s, s));
        System.arraycopy(r, 0, out, (i * channels + c) * s * s, s * s);
      }
    }
    NDArray x = sub.create(out, new Shape(n, channels, s, s)).div(255f);
    if (channels == 1) {
      x = x.broadcast(new Shape(n, 3, s, s));
    }
    return x.mul(2f).sub(1f);
  }

  /** (n, c, h, w) in [0, 1] -> (n, 3, 299, 299) in [-1, 1]. */
  static NDArray preprocess(NDArray x, NDManager sub, int height, int width) {
    int s = InceptionV3Architecture.SIZE;
    if (height != s || width != s) {
      NDArray rh = sub.create(BilinearResize.matrix(height, s), new Shape(s, height));
      NDArray rwT = sub.create(BilinearResize.matrix(width, s), new Shape(s, width)).transpose();
      // (n, c, h, w) @ (w, 299) -> (n, c, h, 299); then R_h @ that per (n, c).
      x = x.matMul(rwT);
      x = x.transpose(0, 1, 3, 2).matMul(rh.transpose()).transpose(0, 1, 3, 2);
    }
    if (x.getShape().get(1) == 1) {
      x = x.broadcast(new Shape(x.getShape().get(0), 3, s, s));
    }
    return x.mul(2f).sub(1f);
  }

  static float[][] rows(float[] flat, int n, int d) {
    float[][] out = new float[n][d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * d, out[i], 0, d);
    }
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}
