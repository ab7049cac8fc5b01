package org.spdiff.pipelines.scores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.metrics.inception.InceptionWeights;
import org.spdiff.metrics.io.StatsNpz;
import org.spdiff.metrics.stats.FeatureMoments;
import org.spdiff.pipelines.scores.ScoreCommandsTest.Result;
import org.spdiff.pipelines.stages.PngImages;

/**
 * {@code spdiff stats | fid} with Inception features and no {@code --inceptionWeights}: the weights
 * (seeded, full size) come from a loopback HTTP server of the test's own through {@code
 * --inceptionUrl}, are cached once in {@code --cacheDir}, and the flags {@code --resize} and {@code
 * --dims} reach the network. Nothing touches the internet.
 */
class InceptionDownloadTest {
  @TempDir static Path dir;
  static HttpServer server;
  static final AtomicInteger hits = new AtomicInteger();
  static String sha256;
  static Path png;
  static Path npz;

  @BeforeAll
  static void setUp() throws Exception {
    Path weights = dir.resolve("served.safetensors");
    InceptionWeights.writeRandom(weights, 3, List.of(), Map.of());
    byte[] body = Files.readAllBytes(weights);
    sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/w/",
        ex -> {
          hits.incrementAndGet();
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
          }
        });
    server.start();
    Random r = new Random(9);
    byte[][] images = new byte[4][];
    png = Files.createDirectories(dir.resolve("png"));
    for (int i = 0; i < images.length; i++) {
      images[i] = ScoreCommandsTest.image(r, i % 2);
      Files.write(png.resolve(i + ".png"), PngImages.encode(images[i], 1, 16, 16));
    }
    npz = dir.resolve("batch.npz");
    ScoreInputsTest.writeImageNpz(npz, images, 1, 16, 16);
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  static String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/w/inception.safetensors";
  }

  static Result stats(Path cache, String input, Path out, String... extra) {
    String[] base = {
      "stats",
      input,
      "--out=" + out,
      "--inceptionUrl=" + url(),
      "--inceptionSha256=" + sha256,
      "--cacheDir=" + cache,
      "--batchSize=2"
    };
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return ScoreCommandsTest.spdiff(all);
  }

  static List<Path> files(Path cache) throws Exception {
    if (!Files.exists(cache)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(cache)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void downloadsOnceThenScoresFromTheCache() throws Exception {
    Path cache = dir.resolve("cache");
    Path a = dir.resolve("a.npz");
    int before = hits.get();
    Result first = stats(cache, png.toString(), a);
    assertEquals(0, first.status(), first.err());
    assertTrue(first.err().contains("downloading " + url()), first.err());
    assertEquals(List.of(cache.resolve("inception.safetensors")), files(cache));
    Path b = dir.resolve("b.npz");
    Result second = stats(cache, npz.toString(), b);
    assertEquals(0, second.status(), second.err());
    assertFalse(second.err().contains("downloading"), second.err());
    assertEquals(before + 1, hits.get(), "one download; the second run uses the cache");
    FeatureMoments fa = StatsNpz.read(a);
    FeatureMoments fb = StatsNpz.read(b);
    assertEquals(2048, fa.mu().length);
    ScoreInputsTest.assertSame(fa, fb, "Inception: .npz batch vs folder");

    // --resize=clean changes the features; --dims=64 taps pytorch-fid's first block
    Path clean = dir.resolve("clean.npz");
    assertEquals(0, stats(cache, png.toString(), clean, "--resize=clean").status());
    double[] cleanMu = StatsNpz.read(clean).mu();
    double diff = 0;
    for (int j = 0; j < 2048; j++) {
      diff = Math.max(diff, Math.abs(cleanMu[j] - fa.mu()[j]));
    }
    assertTrue(diff > 0, "clean resize gives other features");
    Path d64 = dir.resolve("d64.npz");
    Result r64 = stats(cache, png.toString(), d64, "--dims=64");
    assertEquals(0, r64.status(), r64.err());
    assertEquals(64, StatsNpz.read(d64).mu().length);
    Result fid =
        ScoreCommandsTest.spdiff(
            "fid", a.toString(), b.toString(), "--cacheDir=" + cache, "--offline=true");
    assertEquals(0.0, ScoreCommandsTest.fid(fid), 1e-9);
  }

  @Test
  void offlineWrongHashAndBadFlagsFailWithOneLine() throws Exception {
    Path cache = dir.resolve("other-cache");
    Path out = dir.resolve("x.npz");
    Result offline = stats(cache, png.toString(), out, "--offline=true");
    assertEquals(2, offline.status());
    assertTrue(
        offline
            .err()
            .contains(
                "download " + url() + " and save it as " + cache.resolve("inception.safetensors")),
        offline.err());
    assertEquals(1, offline.err().trim().lines().count(), offline.err());

    String wrong = "0".repeat(64);
    Result bad =
        ScoreCommandsTest.spdiff(
            "stats",
            png.toString(),
            "--out=" + out,
            "--inceptionUrl=" + url(),
            "--inceptionSha256=" + wrong,
            "--cacheDir=" + cache);
    assertEquals(1, bad.status(), bad.err());
    String line =
        bad.err().lines().filter(l -> l.startsWith("spdiff stats:")).findFirst().orElse("");
    assertTrue(
        line.contains(url()) && line.contains(cache.toString()) && line.contains("sha256"),
        bad.err());
    assertEquals(List.of(), files(cache), "nothing left in the cache");
    assertFalse(Files.exists(out));

    for (String flag : new String[] {"--resize=bilinear", "--dims=100", "--inceptionSha256=xyz"}) {
      int before = hits.get();
      Result r =
          ScoreCommandsTest.spdiff(
              "stats",
              png.toString(),
              "--out=" + out,
              "--inceptionUrl=" + url(),
              "--cacheDir=" + cache,
              flag);
      assertEquals(2, r.status(), flag + ": " + r.err());
      assertTrue(r.err().contains(flag.substring(0, flag.indexOf('='))), r.err());
      assertEquals(before, hits.get(), "a bad flag fails before any download");
    }
  }
}
