package org.spdiff.pipelines.scores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.metrics.classifier.ClassifierConfig;
import org.spdiff.metrics.classifier.DomainClassifier;
import org.spdiff.metrics.io.StatsNpz;
import org.spdiff.metrics.stats.FeatureMoments;
import org.spdiff.pipelines.cli.Spdiff;
import org.spdiff.pipelines.stages.PngImages;

/** {@code spdiff fid | stats | is} on real folders of PNGs with a small trained classifier. */
class ScoreCommandsTest {
  @TempDir static Path dir;
  static Path classifier;
  static Path a;
  static Path b;

  record Result(int status, String out, String err) {}

  static Result spdiff(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true);
    PrintStream e = new PrintStream(err, true);
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    int status;
    // Commands print their result to standard output, as pytorch-fid does.
    System.setOut(o);
    System.setErr(e);
    try {
      status = Spdiff.standard().execute(args, o, e);
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
    return new Result(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Images of two classes: bright top half or bright bottom half, with noise. */
  static byte[] image(Random r, int cls) {
    byte[] px = new byte[16 * 16];
    for (int i = 0; i < px.length; i++) {
      boolean top = i < 128;
      px[i] = (byte) ((top == (cls == 0) ? 200 : 30) + r.nextInt(40));
    }
    return px;
  }

  @BeforeAll
  static void setUp() throws Exception {
    Random r = new Random(3);
    int n = 96;
    byte[][] px = new byte[n][];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 2;
      px[i] = image(r, labels[i]);
    }
    classifier = dir.resolve("classifier");
    try (DomainClassifier net =
        DomainClassifier.train(
            px, labels, 1, 16, 16, 2, ClassifierConfig.defaults().withEpochs(2).withSeed(1))) {
      net.save(classifier);
    }
    a = Files.createDirectories(dir.resolve("a"));
    b = Files.createDirectories(dir.resolve("b"));
    for (int i = 0; i < 40; i++) {
      Files.write(
          a.resolve(String.format("%03d.png", i)), PngImages.encode(image(r, i % 2), 1, 16, 16));
      Files.write(
          b.resolve(String.format("%03d.png", i)), PngImages.encode(image(r, 0), 1, 16, 16));
    }
  }

  static String[] domain(String... rest) {
    String[] flags = {"--features=domain", "--classifier=" + classifier, "--batchSize=16"};
    String[] all = new String[rest.length + flags.length];
    System.arraycopy(rest, 0, all, 0, rest.length);
    System.arraycopy(flags, 0, all, rest.length, flags.length);
    return all;
  }

  static double fid(Result r) {
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().startsWith("FID: "), r.out());
    return Double.parseDouble(r.out().trim().substring(5));
  }

  @Test
  void identicalFoldersGiveZeroAndDifferentOnesDoNot() {
    assertEquals(0.0, fid(spdiff(domain("fid", a.toString(), a.toString()))), 1e-6);
    assertTrue(fid(spdiff(domain("fid", a.toString(), b.toString()))) > 1e-3);
  }

  @Test
  void statsFileScoresLikeTheFolder() throws Exception {
    Path npz = dir.resolve("a.npz");
    Result s = spdiff(domain("stats", a.toString(), "--out=" + npz));
    assertEquals(0, s.status(), s.err());
    FeatureMoments m = StatsNpz.read(npz);
    assertEquals(m.mu().length, m.sigma().length);
    double viaNpz = fid(spdiff(domain("fid", npz.toString(), b.toString())));
    double viaFolder = fid(spdiff(domain("fid", a.toString(), b.toString())));
    assertEquals(viaFolder, viaNpz, 1e-9 * Math.max(1, viaFolder));
  }

  @Test
  void inceptionScoreOfTwoBalancedClassesIsAboveOne() {
    Result r = spdiff(domain("is", a.toString(), "--splits=2"));
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().startsWith("IS: "), r.out());
    double is = Double.parseDouble(r.out().substring(4).split(" ")[0]);
    assertTrue(is > 1.2 && is <= 2.0 + 1e-9, r.out());
  }

  @Test
  void wrongInputFailsWithOneLineNamingIt() throws Exception {
    Result missing = spdiff(domain("fid", "/no/such/dir", a.toString()));
    assertEquals(2, missing.status());
    assertTrue(missing.err().contains("/no/such/dir"), missing.err());
    assertEquals(1, missing.err().trim().lines().count(), missing.err());

    Path empty = Files.createDirectories(dir.resolve("empty"));
    Result none = spdiff(domain("is", empty.toString()));
    assertEquals(2, none.status());
    assertTrue(none.err().contains("no PNG or JPEG"), none.err());

    Path one = Files.createDirectories(dir.resolve("one"));
    Files.copy(a.resolve("000.png"), one.resolve("000.png"));
    Result single = spdiff(domain("fid", one.toString(), a.toString()));
    assertEquals(2, single.status(), single.err());
    assertTrue(
        single.err().contains(one + ": 1 image: a covariance needs at least 2"), single.err());
    assertEquals(1, single.err().trim().lines().count(), single.err());

    Path bad = dir.resolve("bad.npz");
    Files.write(bad, new byte[] {1, 2, 3});
    Result badNpz = spdiff("fid", bad.toString(), bad.toString());
    assertEquals(2, badNpz.status());
    assertTrue(badNpz.err().contains("bad.npz"), badNpz.err());

    Path small = dir.resolve("small.npz");
    StatsNpz.write(small, new FeatureMoments(new double[3], new double[3][3]));
    Path other = dir.resolve("other.npz");
    StatsNpz.write(other, new FeatureMoments(new double[4], new double[4][4]));
    Result dims = spdiff("fid", small.toString(), other.toString());
    assertEquals(2, dims.status());
    assertTrue(dims.err().contains("dimensions differ"), dims.err());

    // no weights and offline: exit 2 saying what to download and where (no test touches the
    // internet; InceptionDownloadTest serves the download from loopback)
    Path cache = dir.resolve("empty-cache");
    Result noWeights =
        spdiff("fid", a.toString(), b.toString(), "--offline=true", "--cacheDir=" + cache);
    assertEquals(2, noWeights.status());
    assertTrue(noWeights.err().contains("--inceptionWeights"), noWeights.err());
    assertTrue(
        noWeights.err().contains(cache.resolve("pt_inception-2015-12-05-6726825d.pth").toString())
            && noWeights
                .err()
                .contains(
                    "https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/"
                        + "pt_inception-2015-12-05-6726825d.pth"),
        noWeights.err());
    assertEquals(1, noWeights.err().trim().lines().count(), noWeights.err());
  }
}
