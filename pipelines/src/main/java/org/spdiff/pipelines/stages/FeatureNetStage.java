package org.spdiff.pipelines.stages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.spdiff.core.data.ImageSet;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.classifier.ClassifierConfig;
import org.spdiff.metrics.classifier.DomainClassifier;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.dag.Progress;
import org.spdiff.pipelines.dag.Provenance;
import org.spdiff.pipelines.experiment.ExperimentSpec;
import org.spdiff.pipelines.store.ArtifactStore;
import org.spdiff.pipelines.store.Attempt;

/**
 * The feature network stage: trains the domain classifier on the prepared training split (when the
 * study uses one) and records its held-out accuracy; for Inception-v3 it only checks that the
 * weights load, so a wrong file fails here and not after training (with downloaded weights, the key
 * also holds the file: {@link DownloadedInceptionWeights}).
 */
public final class FeatureNetStage {
  private FeatureNetStage() {}

  /** Input: anything (the prepared data's signal); output: the features key. */
  public static final class FeatureNetFn extends DoFn<String, String> {
    private final Plan plan;
    private final ArtifactStore store;

    public FeatureNetFn(Plan plan, ArtifactStore store) {
      this.plan = plan;
      this.store = store;
    }

    @ProcessElement
    public void process(ProcessContext c) throws Exception {
      run(plan, store);
      c.output(plan.featuresKey());
    }
  }

  public static void run(Plan plan, ArtifactStore store) throws Exception {
    String key = plan.featuresKey();
    if (store.isComplete(Plan.FEATURES, key)) {
      StageCounters.cached(Plan.FEATURES).inc();
      Progress.note("features", "complete in the store (" + key + ")");
      return;
    }
    ExperimentSpec spec = plan.spec();
    Map<String, Object> results = new LinkedHashMap<>();
    // Inception completes in place (the launcher staged its weights into the key); the domain
    // classifier trains into a private attempt that is published as the key.
    Attempt attempt = null;
    if (spec.features().network().equals("inception")) {
      if (DownloadedInceptionWeights.applies(spec.features())) {
        // The launcher copies the weights into this key; a pipeline built without it (a test, an
        // embedding application) fetches them here, once: this stage is a single element.
        DownloadedInceptionWeights.stage(
            plan,
            store,
            DownloadedInceptionWeights.defaultRequest(),
            m -> Progress.note("features", m));
        results.put("weights", store.path(Plan.FEATURES, key, DownloadedInceptionWeights.FILE));
      }
      try (FeatureExtractor net = FeatureNetworks.open(spec.features(), store, key)) {
        results.put("id", net.id());
        results.put("resize", spec.features().resize());
      }
    } else {
      ImageSet data = StageData.load(store, plan.prepareKey(), "train", true);
      if (data.numClasses() < 2) {
        throw new IllegalStateException(
            "the domain feature network needs labelled data with at least 2 classes; the prepared"
                + " data has "
                + data.numClasses()
                + " (use features.network: inception)");
      }
      byte[][] px = new byte[data.size()][];
      int[] labels = new int[data.size()];
      for (int i = 0; i < px.length; i++) {
        px[i] = data.pixels(i);
        labels[i] = data.label(i);
      }
      ClassifierConfig config =
          ClassifierConfig.defaults()
              .withSeed(spec.features().classifierSeed())
              .withEpochs(spec.features().classifierEpochs());
      Progress.note(
          "features",
          "training the domain classifier on "
              + px.length
              + " images, "
              + config.epochs()
              + " epochs");
      long t0 = System.nanoTime();
      try (DomainClassifier net =
          DomainClassifier.train(
              px,
              labels,
              data.channels(),
              data.height(),
              data.width(),
              data.numClasses(),
              config)) {
        double seconds = (System.nanoTime() - t0) / 1e9;
        double acc = net.heldOutAccuracy();
        Progress.note(
            "features",
            String.format(
                Locale.ROOT, "held-out accuracy %.4f after %.1f s (%s)", acc, seconds, net.id()));
        if (acc < spec.features().minAccuracy()) {
          throw new IllegalStateException(
              String.format(
                  Locale.ROOT,
                  "the domain classifier reached held-out accuracy %.4f, below features.minAccuracy"
                      + " %.4f: its features would make FID meaningless (train longer:"
                      + " features.classifierEpochs)",
                  acc,
                  spec.features().minAccuracy()));
        }
        Path dir = Files.createTempDirectory("spdiff-classifier-");
        attempt = store.attempt(Plan.FEATURES, key);
        try {
          net.save(dir);
          for (String f : List.of(DomainClassifier.WEIGHTS, DomainClassifier.METADATA)) {
            attempt.write(f, Files.readAllBytes(dir.resolve(f)));
          }
        } finally {
          for (String f : List.of(DomainClassifier.WEIGHTS, DomainClassifier.METADATA)) {
            Files.deleteIfExists(dir.resolve(f));
          }
          Files.deleteIfExists(dir);
        }
        results.put("id", net.id());
        results.put("heldOutAccuracy", acc);
        results.put("seconds", seconds);
      }
    }
    if (attempt == null) {
      store.markComplete(
          Plan.FEATURES,
          key,
          Provenance.json(
              Plan.FEATURES, key, spec.features(), List.of(plan.prepareKey()), results));
    } else if (!attempt.publish(
        Provenance.json(
            Plan.FEATURES,
            key,
            spec.features(),
            List.of(plan.prepareKey()),
            results,
            Provenance.consumed(store, Plan.PREPARE, plan.prepareKey())))) {
      StageCounters.cached(Plan.FEATURES).inc();
      Progress.note("features", "another run published " + key + " first; using its network");
      return;
    }
    StageCounters.computed(Plan.FEATURES).inc();
  }
}
