package org.spdiff.pipelines.scores;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.spdiff.metrics.inception.InceptionV3Architecture;
import org.spdiff.metrics.inception.InceptionV3Fid;
import org.spdiff.metrics.inception.InceptionWeights;
import org.spdiff.metrics.inception.ResizeMethod;
import org.spdiff.metrics.io.CachedDownload;
import org.spdiff.metrics.io.DownloadException;
import org.spdiff.pipelines.cli.UsageException;

/**
 * The Inception flags of the scoring commands: the weights file ({@code --inceptionWeights}, or
 * pytorch-fid's release downloaded on first use: {@code --inceptionUrl}, {@code --inceptionSha256},
 * {@code --offline}, {@code --cacheDir}) and how the network runs ({@code --resize}, {@code
 * --dims}, {@code --batchSize}).
 */
final class InceptionFlags {
  private InceptionFlags() {}

  /** The network configuration the flags ask for; fails on a bad value before any work. */
  static InceptionV3Fid.Config config(ScoreOptions o) {
    ResizeMethod resize;
    try {
      resize = ResizeMethod.parse(o.getResize());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--resize: " + e.getMessage());
    }
    int dims = o.getDims() == 0 ? InceptionV3Architecture.POOL_DIMS : o.getDims();
    if (!InceptionV3Architecture.BLOCK_DIMS.contains(dims)) {
      throw new UsageException(
          "--dims="
              + o.getDims()
              + ": the Inception's blocks give "
              + InceptionV3Architecture.BLOCK_DIMS
              + " features (pytorch-fid's --dims)");
    }
    if (o.getBatchSize() < 1) {
      throw new UsageException("--batchSize must be >= 1, got " + o.getBatchSize());
    }
    return new InceptionV3Fid.Config(false, resize, dims, o.getBatchSize());
  }

  /** The download the flags describe (pytorch-fid's release by default). */
  static CachedDownload.Request request(ScoreOptions o) {
    URI url;
    try {
      url =
          URI.create(
              o.getInceptionUrl().isEmpty()
                  ? InceptionWeights.PYTORCH_FID_URL
                  : o.getInceptionUrl());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--inceptionUrl: " + e.getMessage());
    }
    Path cache =
        o.getCacheDir().isEmpty() ? CachedDownload.defaultCacheDir() : Path.of(o.getCacheDir());
    CachedDownload.Request r =
        CachedDownload.Request.of(url, o.getInceptionSha256().trim(), cache, o.isOffline());
    try {
      CachedDownload.validate(r);
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          (o.getInceptionSha256().isEmpty() ? "--inceptionUrl: " : "--inceptionSha256: ")
              + e.getMessage());
    }
    return r;
  }

  /**
   * The weights file: {@code --inceptionWeights}, or the cached download (fetched now if absent).
   *
   * @throws UsageException (exit 2) for a missing file, or offline / no route: the message says
   *     which file to download and where to put it
   * @throws IllegalStateException (exit 1) for a failed download, one line naming the URL and the
   *     cache path
   */
  static Path weights(ScoreOptions o) {
    if (!o.getInceptionWeights().isEmpty()) {
      Path w = Path.of(o.getInceptionWeights());
      if (!Files.isRegularFile(w)) {
        throw new UsageException("--inceptionWeights: " + w + " does not exist");
      }
      return w;
    }
    CachedDownload.Request r = request(o);
    try {
      return CachedDownload.resolve(r, System.err::println);
    } catch (DownloadException e) {
      if (e.offline()) {
        throw new UsageException(e.getMessage() + " (or pass --inceptionWeights=FILE)");
      }
      throw new IllegalStateException(e.getMessage());
    }
  }
}
