package org.spdiff.pipelines.stages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.inception.InceptionV3Fid;
import org.spdiff.metrics.inception.InceptionWeights;
import org.spdiff.metrics.inception.ResizeMethod;
import org.spdiff.metrics.io.CachedDownload;
import org.spdiff.metrics.io.StatsNpz;
import org.spdiff.metrics.stats.FeatureMoments;
import org.spdiff.pipelines.cli.Spdiff;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.experiment.ExperimentFiles;
import org.spdiff.pipelines.experiment.ExperimentFilesTest;
import org.spdiff.pipelines.experiment.ExperimentSpec;
import org.spdiff.pipelines.store.ArtifactStore;
import org.spdiff.pipelines.store.DamagedArtifactException;

/**
 * A study with {@code features: {network: inception}} and no weights file: the launcher downloads
 * the weights once (from a loopback server here) and copies them into the features key; the feature
 * network stage completes from that copy and every worker opens the network from the store, with
 * the study's resize, without downloading.
 */
class DownloadedInceptionWeightsTest {
  @TempDir Path dir;

  @Test
  void launcherCopiesTheWeightsIntoTheFeaturesKeyAndWorkersReadThem() throws Exception {
    Path served = dir.resolve("served.safetensors");
    InceptionWeights.writeRandom(served, 4, List.of(), Map.of());
    byte[] body = Files.readAllBytes(served);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    AtomicInteger hits = new AtomicInteger();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          hits.incrementAndGet();
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
          }
        });
    server.start();
    try {
      ExperimentSpec spec =
          ExperimentFiles.parse(
              ExperimentFilesTest.BASE.replace("store: store", "")
                  + "features: {network: inception, resize: clean}\nstore: "
                  + dir.resolve("store")
                  + "\n",
              false);
      Plan plan = Plan.of(spec);
      ArtifactStore store = new ArtifactStore(spec.store());
      CachedDownload.Request request =
          new CachedDownload.Request(
              URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/w.safetensors"),
              sha,
              dir.resolve("launcher-cache"),
              false,
              Duration.ofSeconds(5),
              Duration.ofSeconds(30));
      List<String> log = new ArrayList<>();
      DownloadedInceptionWeights.stage(plan, store, request, log::add);
      DownloadedInceptionWeights.stage(plan, store, request, log::add);
      assertEquals(1, hits.get(), "downloaded once");
      byte[] stored =
          store.require(Plan.FEATURES, plan.featuresKey(), DownloadedInceptionWeights.FILE);
      assertArrayEquals(body, stored);

      // the stage completes from the copy (its own fallback download is not needed)
      FeatureNetStage.run(plan, store);
      assertTrue(store.isComplete(Plan.FEATURES, plan.featuresKey()));
      String marker =
          new String(
              store.require(Plan.FEATURES, plan.featuresKey(), ArtifactStore.MARKER),
              StandardCharsets.UTF_8);
      assertTrue(marker.contains("/resize=clean@sha256:"), marker);
      assertEquals(1, hits.get());

      // a worker opens the network from the store, with the study's resize
      byte[][] images = new byte[2][3 * 20 * 24];
      new Random(2).nextBytes(images[0]);
      new Random(3).nextBytes(images[1]);
      try (FeatureExtractor fromStore =
              FeatureNetworks.open(spec.features(), store, plan.featuresKey());
          FeatureExtractor direct =
              InceptionV3Fid.load(
                  served, InceptionV3Fid.Config.DEFAULT.withResize(ResizeMethod.CLEAN))) {
        assertTrue(fromStore.id().contains("/resize=clean@"), fromStore.id());
        float[][] a = fromStore.features(images, 3, 20, 24);
        float[][] b = direct.features(images, 3, 20, 24);
        for (int i = 0; i < a.length; i++) {
          assertArrayEquals(b[i], a[i], 0f);
        }
      }
      assertEquals(1, hits.get(), "workers never download");

      // the study's reference statistics and `spdiff stats` on the same prepared split agree to
      // the bit (same reader, same Scores.extract, same batches: 8 images < both batch sizes)
      Path raw = Files.createDirectories(dir.resolve("raw"));
      Random r = new Random(7);
      for (int i = 0; i < 8; i++) {
        byte[] px = new byte[3 * 32 * 32];
        r.nextBytes(px);
        Files.write(raw.resolve(i + ".png"), PngImages.encode(px, 3, 32, 32));
      }
      String prepared = store.dir(Plan.PREPARE, plan.prepareKey());
      assertEquals(
          0,
          Spdiff.standard()
              .execute(
                  new String[] {
                    "prepare", "--input=" + raw, "--output=" + prepared, "--runner=DirectRunner"
                  },
                  System.out,
                  System.err));
      store.markComplete(Plan.PREPARE, plan.prepareKey(), "{}"); // as the Prepare stage does
      RefStatsStage.run(plan, store);
      Path ref = dir.resolve("ref.npz");
      Files.write(ref, store.require(Plan.REFSTATS, plan.refKey(), RefStatsStage.STATS));
      Path cli = dir.resolve("cli.npz");
      assertEquals(
          0,
          Spdiff.standard()
              .execute(
                  new String[] {
                    "stats",
                    prepared,
                    "--out=" + cli,
                    "--inceptionWeights=" + served,
                    "--resize=clean",
                    "--batchSize=250"
                  },
                  System.out,
                  System.err));
      FeatureMoments a = StatsNpz.read(ref);
      FeatureMoments b = StatsNpz.read(cli);
      assertArrayEquals(a.mu(), b.mu(), 0.0);
      for (int i = 0; i < a.sigma().length; i++) {
        assertArrayEquals(a.sigma()[i], b.sigma()[i], 0.0);
      }

      // damaged Inception weights in the complete features key are refused, naming the file
      Path weights =
          Path.of(store.path(Plan.FEATURES, plan.featuresKey(), DownloadedInceptionWeights.FILE));
      byte[] w = Files.readAllBytes(weights);
      w[w.length / 2] ^= 0x40;
      Files.write(weights, w);
      DamagedArtifactException damaged =
          assertThrows(
              DamagedArtifactException.class,
              () -> FeatureNetworks.open(spec.features(), store, plan.featuresKey()));
      System.out.println("FAULT inception weights -> " + damaged.getMessage());
      assertTrue(damaged.getMessage().contains(weights.toString()), damaged.getMessage());
      assertTrue(damaged.getMessage().contains("sha256"), damaged.getMessage());
    } finally {
      server.stop(0);
    }
  }
}
