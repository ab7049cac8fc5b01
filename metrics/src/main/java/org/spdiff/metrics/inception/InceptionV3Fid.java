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
 * logits.
 *
 * <p>Preprocessing is pytorch-fid's: uint8 -> [0, 1] ({@code / 255}), grayscale repeated to 3
 * channels, bilinear resize to 299 x 299 ({@code align_corners=False}, no antialias; see {@link
 * BilinearResize}), then {@code 2 x - 1}. Inference in float32 with BatchNorm folded into the
 * convs. Logits are {@code fc(pool3)} with bias by default; torch-fidelity's Inception Score uses
 * them without the bias ({@code logits_unbiased}): see {@link #load(Path, boolean)}.
 *
 * <p>Owns an {@link NDManager} with the weights: close it. Each call opens a sub-manager that is
 * closed before returning, so concurrent {@link #extract} calls do not share intermediate arrays.
 */
public final class InceptionV3Fid implements FeatureExtractor {
  private final NDManager manager;
  private final InceptionV3Architecture.Parameters params;
  private final String id;
  private final boolean unbiasedLogits;

  private InceptionV3Fid(
      NDManager manager,
      InceptionV3Architecture.Parameters params,
      String id,
      boolean unbiasedLogits) {
    this.manager = manager;
    this.params = params;
    this.id = id;
    this.unbiasedLogits = unbiasedLogits;
  }

  /** Loads weights with pytorch-fid key names from a safetensors file; logits with fc bias. */
  public static InceptionV3Fid load(Path safetensors) throws IOException {
    return load(safetensors, false);
  }

  /**
   * Loads weights with pytorch-fid key names from a safetensors file.
   *
   * @param unbiasedLogits return {@code pool3 fc.weight^T} without the bias (torch-fidelity's IS)
   * @throws IllegalArgumentException naming the tensor if one is missing, extra or mis-shaped
   */
  public static InceptionV3Fid load(Path safetensors, boolean unbiasedLogits) throws IOException {
    NDManager m = NDManager.newBaseManager();
    try {
      Map<String, NDArray> raw = InceptionWeights.read(safetensors, m);
      InceptionV3Architecture.Parameters p = InceptionWeights.fold(raw);
      String id =
          "pytorch-fid-inception-v3"
              + (unbiasedLogits ? "/logits-unbiased" : "")
              + "@sha256:"
              + InceptionWeights.sha256Prefix(safetensors);
      return new InceptionV3Fid(m, p, id, unbiasedLogits);
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
  }

  @Override
  public int dims() {
    return InceptionV3Architecture.POOL_DIMS;
  }

  @Override
  public int classes() {
    return InceptionV3Architecture.CLASSES;
  }

  @Override
  public String id() {
    return id;
  }

  /** Images per forward pass; larger inputs are processed in chunks of this size. */
  public static final int CHUNK = 50;

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
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
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
    int size = channels * height * width;
    float[] pixels = new float[n * size];
    for (int i = 0; i < n; i++) {
      byte[] img = images[from + i];
      for (int j = 0; j < size; j++) {
        pixels[i * size + j] = (img[j] & 0xFF) / 255f;
      }
    }
    try (NDManager sub = manager.newSubManager()) {
      NDArray x = sub.create(pixels, new Shape(n, channels, height, width));
      x = preprocess(x, sub, height, width);
      NDArray pool = InceptionV3Architecture.pool3(x, params);
      NDArray logits = InceptionV3Architecture.logits(pool, params, unbiasedLogits);
      float[][] f = rows(pool.toType(DataType.FLOAT32, false).toFloatArray(), n, dims());
      float[][] l = rows(logits.toFloatArray(), n, classes());
      System.arraycopy(f, 0, features, from, n);
      System.arraycopy(l, 0, logitsOut, from, n);
    }
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
