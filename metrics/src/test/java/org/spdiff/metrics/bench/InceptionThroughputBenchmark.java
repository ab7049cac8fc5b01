package org.spdiff.metrics.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.inception.InceptionV3Fid;
import org.spdiff.metrics.inception.InceptionWeights;
import org.spdiff.metrics.inception.ResizeMethod;

/**
 * Inception feature throughput (images/s) with seeded random weights, next to pytorch-fid's network
 * under PyTorch on the same machine, in one run: rounds alternate spdiff (this JVM, {@code
 * ai.djl.pytorch.num_threads} threads) and the peer ({@code bench/inception_peer.py} under Debian's
 * {@code /usr/bin/python3}, torch 1.13, the same thread count) so that both see the same machine
 * load. Each round times {@code bench.batches} batches of {@code bench.batch} 28x28 gray images
 * upsampled to 299 after one warm-up batch. Prints every round, the medians and their ratio (spdiff
 * / PyTorch; > 1 is faster), and spdiff with clean-fid's resize.
 *
 * <pre>
 * mvn -o -q -B -pl metrics -am test -Dsurefire.excludedGroups=none -Dtest=InceptionThroughputBenchmark \
 *   -Dsurefire.failIfNoSpecifiedTests=false -Ddjl.threads=2 [-Dbench.rounds=3 -Dbench.batches=2 -Dbench.batch=50]
 * </pre>
 */
@Tag("bench")
class InceptionThroughputBenchmark {
  static final Pattern PEER = Pattern.compile("([0-9.]+) images/s");

  @Test
  void imagesPerSecondNextToPyTorch() throws Exception {
    int batch = Integer.getInteger("bench.batch", 50);
    int batches = Integer.getInteger("bench.batches", 2);
    int rounds = Integer.getInteger("bench.rounds", 3);
    String threads = System.getProperty("ai.djl.pytorch.num_threads", "2");
    Path dir = Files.createTempDirectory("inception-bench");
    Path weights = dir.resolve("inception.safetensors");
    InceptionWeights.writeRandom(weights, 1, List.of(), Map.of());
    Random r = new Random(0);
    byte[][] images = new byte[batch][28 * 28];
    for (byte[] img : images) {
      r.nextBytes(img);
    }
    Path peer = peerScript();
    List<Double> ours = new ArrayList<>();
    List<Double> theirs = new ArrayList<>();
    double clean;
    InceptionV3Fid.Config config = InceptionV3Fid.Config.DEFAULT.withBatch(batch);
    try (FeatureExtractor net = InceptionV3Fid.load(weights, config);
        FeatureExtractor cleanNet =
            InceptionV3Fid.load(weights, config.withResize(ResizeMethod.CLEAN))) {
      net.extract(images, 1, 28, 28);
      for (int round = 0; round < rounds; round++) {
        ours.add(time(net, images, batches));
        double p = peer == null ? Double.NaN : runPeer(peer, threads, batches, batch);
        theirs.add(p);
        System.out.printf(
            Locale.ROOT,
            "round %d: spdiff %.2f images/s, PyTorch %.2f images/s%n",
            round + 1,
            ours.get(round),
            p);
      }
      cleanNet.extract(images, 1, 28, 28);
      clean = time(cleanNet, images, batches);
    } finally {
      Files.deleteIfExists(weights);
      Files.deleteIfExists(dir);
    }
    double a = median(ours);
    double b = median(theirs);
    System.out.printf(
        Locale.ROOT,
        "Inception pool3+logits, batch %d, 28x28 gray -> 299, threads %s, %d rounds of %d batches:"
            + " spdiff %.2f images/s (median), PyTorch %s %.2f images/s (median), ratio %.2fx;"
            + " spdiff with --resize=clean %.2f images/s%n",
        batch,
        threads,
        rounds,
        batches,
        a,
        peer == null ? "(peer not run: no /usr/bin/python3 with torch)" : "1.13",
        b,
        a / b,
        clean);
  }

  static double time(FeatureExtractor net, byte[][] images, int batches) {
    long t0 = System.nanoTime();
    for (int i = 0; i < batches; i++) {
      net.extract(images, 1, 28, 28);
    }
    return images.length * batches / ((System.nanoTime() - t0) / 1e9);
  }

  static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  static Path peerScript() throws Exception {
    if (!new File("/usr/bin/python3").canExecute()) {
      return null;
    }
    Path p = Path.of(InceptionThroughputBenchmark.class.getResource("inception_peer.py").toURI());
    return p;
  }

  /** One peer round: its own process, model built and warmed up outside the timing. */
  static double runPeer(Path script, String threads, int batches, int batch) throws Exception {
    Process p =
        new ProcessBuilder(
                "/usr/bin/python3",
                script.toString(),
                threads,
                Integer.toString(batches),
                Integer.toString(batch))
            .redirectErrorStream(true)
            .start();
    StringBuilder out = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        out.append(line).append('\n');
      }
    }
    p.waitFor();
    Matcher m = PEER.matcher(out);
    if (p.exitValue() != 0 || !m.find()) {
      System.out.println("peer failed: " + out);
      return Double.NaN;
    }
    return Double.parseDouble(m.group(1));
  }
}
