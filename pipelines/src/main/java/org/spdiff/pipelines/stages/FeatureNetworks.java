package org.spdiff.pipelines.stages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.classifier.DomainClassifier;
import org.spdiff.metrics.inception.InceptionV3Fid;
import org.spdiff.metrics.inception.ResizeMethod;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.experiment.ExperimentSpec.FeatureSpec;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * Opens the study's feature network on a worker: the domain classifier from its stage in the store,
 * or Inception-v3 (with the study's {@code features.resize}) from the configured weights file
 * (copied to local disk when remote) or, when none is configured, from the copy of pytorch-fid's
 * release in the features key ({@link DownloadedInceptionWeights}). Callers own the result and
 * close it (DoFn {@code @Teardown}).
 */
public final class FeatureNetworks {
  private FeatureNetworks() {}

  public static FeatureExtractor open(FeatureSpec spec, ArtifactStore store, String featuresKey) {
    try {
      if (spec.network().equals("inception")) {
        Path weights =
            spec.inceptionWeights().isEmpty()
                ? DownloadedInceptionWeights.localCopy(store, featuresKey)
                : localCopy(spec.inceptionWeights());
        return InceptionV3Fid.load(
            weights, InceptionV3Fid.Config.DEFAULT.withResize(ResizeMethod.parse(spec.resize())));
      }
      Path dir = Files.createTempDirectory("spdiff-classifier-");
      dir.toFile().deleteOnExit();
      for (String f : new String[] {DomainClassifier.WEIGHTS, DomainClassifier.METADATA}) {
        Path p = dir.resolve(f);
        Files.write(p, store.require(Plan.FEATURES, featuresKey, f));
        p.toFile().deleteOnExit();
      }
      return DomainClassifier.load(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the feature network: " + e.getMessage(), e);
    }
  }

  /** A local file with the content of {@code path} (the path itself when it is local). */
  static Path localCopy(String path) throws IOException {
    if (!path.contains("://")) {
      Path p = Path.of(path);
      if (!Files.isRegularFile(p)) {
        throw new IOException("weights file " + path + " does not exist");
      }
      return p;
    }
    byte[] data =
        ArtifactStore.readFile(path)
            .orElseThrow(() -> new IOException("weights file " + path + " does not exist"));
    Path tmp = Files.createTempFile("spdiff-weights-", ".weights");
    tmp.toFile().deleteOnExit();
    Files.write(tmp, data);
    return tmp;
  }
}
