package org.spdiff.pipelines.stages;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.spdiff.metrics.inception.InceptionWeights;
import org.spdiff.metrics.io.CachedDownload;
import org.spdiff.metrics.io.DownloadException;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.experiment.ExperimentSpec.FeatureSpec;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * A study with {@code features.network: inception} and no {@code inceptionWeights} uses
 * pytorch-fid's release. It is fetched once, into the launcher's cache (see {@link
 * CachedDownload}), and copied into the study's features key ({@code
 * <store>/features/<key>/pt_inception-2015-12-05-6726825d.pth}); every worker (reference
 * statistics, scoring, on Flink or Dataflow) reads it from there, through the artifact store, and
 * none downloads it.
 */
public final class DownloadedInceptionWeights {
  private DownloadedInceptionWeights() {}

  /** The file name in the features key (the release's name). */
  public static final String FILE =
      InceptionWeights.PYTORCH_FID_URL.substring(
          InceptionWeights.PYTORCH_FID_URL.lastIndexOf('/') + 1);

  /** Whether the study downloads its weights rather than naming a file. */
  public static boolean applies(FeatureSpec spec) {
    return spec.network().equals("inception") && spec.inceptionWeights().isEmpty();
  }

  /** pytorch-fid's release into the default cache ({@code $SPDIFF_CACHE_DIR}). */
  public static CachedDownload.Request defaultRequest() {
    return CachedDownload.Request.of(
        URI.create(InceptionWeights.PYTORCH_FID_URL), "", CachedDownload.defaultCacheDir(), false);
  }

  /**
   * Launcher side, before the pipeline runs: makes sure the features key holds the weights
   * (downloading them into the local cache first if needed). Does nothing when the study names a
   * weights file or the features key is already complete or already holds them.
   *
   * @throws DownloadException naming the URL and the cache path (offline or no route: {@link
   *     DownloadException#offline()})
   */
  public static void stage(
      Plan plan, ArtifactStore store, CachedDownload.Request request, Consumer<String> log)
      throws DownloadException {
    if (!applies(plan.spec().features())
        || store.isComplete(Plan.FEATURES, plan.featuresKey())
        || ArtifactStore.exists(store.path(Plan.FEATURES, plan.featuresKey(), FILE))) {
      return;
    }
    Path local = CachedDownload.resolve(request, log);
    byte[] data;
    try {
      data = Files.readAllBytes(local);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + local, e);
    }
    store.write(Plan.FEATURES, plan.featuresKey(), FILE, data);
    log.accept(
        "copied "
            + local
            + " into "
            + store.path(Plan.FEATURES, plan.featuresKey(), FILE)
            + " for the workers");
  }

  /**
   * Worker side: a local file with the weights from the features key (checked against the key's
   * marker once it is complete).
   *
   * @throws IOException naming the path if the key does not hold them
   */
  static Path localCopy(ArtifactStore store, String featuresKey) throws IOException {
    return FeatureNetworks.localCopy(store.verifiedPath(Plan.FEATURES, featuresKey, FILE));
  }
}
