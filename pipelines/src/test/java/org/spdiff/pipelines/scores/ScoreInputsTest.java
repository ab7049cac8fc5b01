package org.spdiff.pipelines.scores;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.metrics.classifier.ClassifierConfig;
import org.spdiff.metrics.classifier.DomainClassifier;
import org.spdiff.metrics.io.StatsNpz;
import org.spdiff.metrics.stats.FeatureMoments;
import org.spdiff.pipelines.scores.ScoreCommandsTest.Result;
import org.spdiff.pipelines.stages.PngImages;

/**
 * The inputs users hold, through {@code spdiff stats | fid | features}: a folder of PNGs, the same
 * images as an {@code .npz} batch ({@code arr_0}, N x H x W x C) and as a prepared spdiff split
 * give the same statistics to the bit; pytorch-fid's other extensions decode to the same pixels,
 * and a file Java cannot decode is a dead letter naming it.
 */
class ScoreInputsTest {
  @TempDir static Path dir;
  static Path classifier;
  static Path png;
  static byte[][] images;
  static final int N = 24;

  @BeforeAll
  static void setUp() throws Exception {
    Random r = new Random(5);
    images = new byte[N][];
    int[] labels = new int[N];
    for (int i = 0; i < N; i++) {
      labels[i] = i % 2;
      images[i] = ScoreCommandsTest.image(r, labels[i]);
    }
    classifier = dir.resolve("classifier");
    try (DomainClassifier net =
        DomainClassifier.train(
            images, labels, 1, 16, 16, 2, ClassifierConfig.defaults().withEpochs(1).withSeed(1))) {
      net.save(classifier);
    }
    png = Files.createDirectories(dir.resolve("png"));
    for (int i = 0; i < N; i++) {
      Files.write(
          png.resolve(String.format("%03d.png", i)), PngImages.encode(images[i], 1, 16, 16));
    }
  }

  static String[] domain(String... rest) {
    String[] flags = {"--features=domain", "--classifier=" + classifier, "--batchSize=8"};
    String[] all = new String[rest.length + flags.length];
    System.arraycopy(rest, 0, all, 0, rest.length);
    System.arraycopy(flags, 0, all, rest.length, flags.length);
    return all;
  }

  /** numpy's layout of {@code np.savez(f, x)} with x uint8 (N, H, W, C): arr_0.npy in a zip. */
  static void writeImageNpz(Path f, byte[][] chw, int c, int h, int w) throws Exception {
    String dict =
        "{'descr': '|u1', 'fortran_order': False, 'shape': ("
            + chw.length
            + ", "
            + h
            + ", "
            + w
            + ", "
            + c
            + "), }";
    StringBuilder sb = new StringBuilder(dict);
    while ((10 + sb.length() + 1) % 64 != 0) {
      sb.append(' ');
    }
    sb.append('\n');
    ByteArrayOutputStream npy = new ByteArrayOutputStream();
    npy.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    npy.write(sb.length() & 0xFF);
    npy.write(sb.length() >>> 8);
    npy.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    int plane = h * w;
    for (byte[] img : chw) {
      for (int p = 0; p < plane; p++) {
        for (int k = 0; k < c; k++) {
          npy.write(img[k * plane + p]);
        }
      }
    }
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
      z.putNextEntry(new ZipEntry("arr_0.npy"));
      z.write(npy.toByteArray());
      z.closeEntry();
    }
  }

  static FeatureMoments stats(String input, String... extra) throws Exception {
    Path out = Files.createTempFile(dir, "stats-", ".npz");
    String[] args = new String[3 + extra.length];
    args[0] = "stats";
    args[1] = input;
    args[2] = "--out=" + out;
    System.arraycopy(extra, 0, args, 3, extra.length);
    Result r = ScoreCommandsTest.spdiff(domain(args));
    assertEquals(0, r.status(), r.err());
    return StatsNpz.read(out);
  }

  static void assertSame(FeatureMoments a, FeatureMoments b, String what) {
    assertArrayEquals(a.mu(), b.mu(), 0.0, what + ": mu");
    for (int i = 0; i < a.sigma().length; i++) {
      assertArrayEquals(a.sigma()[i], b.sigma()[i], 0.0, what + ": sigma row " + i);
    }
  }

  private static Path prepared;

  /** The PNG folder as a prepared spdiff data set (built once). */
  static synchronized Path prepared() {
    if (prepared == null) {
      Path prep = dir.resolve("prepared");
      Result p =
          ScoreCommandsTest.spdiff(
              "prepare",
              "--input=" + png,
              "--output=" + prep,
              "--resolution=16",
              "--channels=1",
              "--runner=DirectRunner");
      assertEquals(0, p.status(), p.err());
      prepared = prep;
    }
    return prepared;
  }

  static Result ok(String... args) {
    Result r = ScoreCommandsTest.spdiff(domain(args));
    assertEquals(0, r.status(), String.join(" ", args) + ": " + r.err());
    return r;
  }

  /**
   * kid, prdc, compare and fid --infinity featurize every image kind (folder, .npz batch, prepared
   * split) exactly as {@code spdiff features} does: the same output as on the written matrices.
   */
  @Test
  void rowCommandsTakeEveryImageKindAsItsFeatureMatrix() throws Exception {
    Path npz = dir.resolve("rows.npz");
    writeImageNpz(npz, images, 1, 16, 16);
    Path prep = prepared();
    Path fPng = dir.resolve("f_png.npy");
    Path fNpz = dir.resolve("f_npz.npy");
    Path fPrep = dir.resolve("f_prep.npy");
    ok("features", png.toString(), "--out=" + fPng);
    ok("features", npz.toString(), "--out=" + fNpz);
    ok("features", prep.toString(), "--out=" + fPrep);
    assertArrayEquals(Files.readAllBytes(fPng), Files.readAllBytes(fNpz), ".npz batch features");
    assertArrayEquals(Files.readAllBytes(fPng), Files.readAllBytes(fPrep), "prepared features");

    String[] kid = {"--kidSubsets=3", "--kidSubsetSize=10"};
    assertEquals(
        ok(cat(new String[] {"kid", fPrep.toString(), fNpz.toString()}, kid)).out(),
        ok(cat(new String[] {"kid", prep.toString(), npz.toString()}, kid)).out());
    Result prdc = ok("prdc", png.toString(), npz.toString());
    assertEquals(ok("prdc", fPng.toString(), fNpz.toString()).out(), prdc.out());
    assertEquals(4, prdc.out().lines().count(), prdc.out());

    Result inf = ok("fid", fPng.toString(), npz.toString(), "--infinity=true");
    assertEquals(ok("fid", fPng.toString(), fNpz.toString(), "--infinity=true").out(), inf.out());
    assertTrue(inf.out().contains("FID_inf: "), inf.out());

    // compare: A and B from images bring their logits, so dIS is there; A and B hold the same
    // images, so every difference is 0.
    Result c = ok("compare", prep.toString(), png.toString(), npz.toString(), "--folds=2");
    java.util.List<String> keys = c.out().lines().map(l -> l.substring(0, l.indexOf(':'))).toList();
    assertEquals(
        java.util.List.of("FID A", "FID B", "dFID", "dIS", "dKID", "dPrecision", "dRecall"),
        keys,
        c.out());
    assertTrue(c.out().contains("dFID: 0.0 [0.0, 0.0]"), c.out());
    Result cm = ok("compare", fPrep.toString(), fPng.toString(), fNpz.toString(), "--folds=2");
    assertEquals(c.out().lines().findFirst(), cm.out().lines().findFirst(), "FID A");
  }

  /** stats of a .npy feature matrix are the moments of its rows: those of the images it holds. */
  @Test
  void statsOfAFeatureMatrixAreThoseOfItsImages() throws Exception {
    Path f = dir.resolve("f_stats.npy");
    ok("features", png.toString(), "--out=" + f);
    FeatureMoments images = stats(png.toString());
    FeatureMoments rows = stats(f.toString());
    assertArrayEquals(images.mu(), rows.mu(), 1e-12);
    for (int i = 0; i < images.sigma().length; i++) {
      assertArrayEquals(images.sigma()[i], rows.sigma()[i], 1e-12, "sigma row " + i);
    }
    Result again = ScoreCommandsTest.spdiff(domain("features", f.toString(), "--out=" + f));
    assertEquals(2, again.status());
    assertTrue(again.err().contains("already a feature matrix"), again.err());
  }

  /** is on a .npy takes it as logits: one-hot-like logits over 4 even classes give IS = 4. */
  @Test
  void isOnANpyTakesItsLogits() throws Exception {
    float[][] logits = new float[8][4];
    for (int i = 0; i < logits.length; i++) {
      logits[i][i % 4] = 100f;
    }
    Path f = dir.resolve("logits.npy");
    org.spdiff.metrics.io.NpyMatrix.writeFloat32(f, logits);
    Result r = ScoreCommandsTest.spdiff("is", f.toString(), "--splits=1");
    assertEquals(0, r.status(), r.err());
    assertEquals("IS: 4.000000 +- 0.000000", r.out().trim());
    Path uniform = dir.resolve("uniform.npy");
    org.spdiff.metrics.io.NpyMatrix.writeFloat32(uniform, new float[8][4]);
    Result u = ScoreCommandsTest.spdiff("is", uniform.toString(), "--splits=2");
    assertEquals("IS: 1.000000 +- 0.000000", u.out().trim(), u.err());
  }

  /**
   * The Inception flags are checked by every score command before any work, even when no input
   * needs the network; a command on .npy inputs loads none (nothing to download here).
   */
  @Test
  void inceptionFlagsAreCheckedByEveryScoreCommand() throws Exception {
    Path f = dir.resolve("f_flags.npy");
    ok("features", png.toString(), "--out=" + f);
    String x = f.toString();
    String[][] commands = {
      {"fid", x, x},
      {"kid", x, x},
      {"prdc", x, x},
      {"compare", x, x, x},
      {"stats", x, "--out=s.npz"}
    };
    for (String[] c : commands) {
      for (String bad : new String[] {"--resize=bicubic", "--dims=100", "--inceptionSha256=abc"}) {
        Result r = ScoreCommandsTest.spdiff(cat(c, new String[] {bad}));
        assertEquals(2, r.status(), c[0] + " " + bad + ": " + r.err());
        assertTrue(r.err().contains(bad.substring(0, bad.indexOf('='))), r.err());
        assertTrue(r.out().isEmpty(), r.out());
      }
    }
    Path empty = Files.createDirectories(dir.resolve("emptyCache"));
    Result offline =
        ScoreCommandsTest.spdiff(
            "kid", x, x, "--offline=true", "--cacheDir=" + empty, "--kidSubsetSize=10");
    assertEquals(0, offline.status(), offline.err());
  }

  static String[] cat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void npzBatchAndPreparedSplitGiveTheFoldersStatistics() throws Exception {
    FeatureMoments folder = stats(png.toString());
    Path npz = dir.resolve("batch.npz");
    writeImageNpz(npz, images, 1, 16, 16);
    assertEquals(ScoreInputs.Kind.IMAGE_NPZ, ScoreInputs.kind(npz.toString()));
    assertSame(folder, stats(npz.toString()), ".npz image batch");

    Path prep = prepared();
    assertEquals(ScoreInputs.Kind.PREPARED_SPLIT, ScoreInputs.kind(prep.toString()));
    assertSame(folder, stats(prep.toString()), "prepared split");
    assertSame(folder, stats(prep.resolve("manifest.json").toString()), "its manifest");
    Result noSplit =
        ScoreCommandsTest.spdiff(
            domain("stats", prep.toString(), "--out=" + dir.resolve("x.npz"), "--split=test"));
    assertEquals(2, noSplit.status());
    assertTrue(noSplit.err().contains("--split=test"), noSplit.err());

    // and the FID between them is 0
    Result fid = ScoreCommandsTest.spdiff(domain("fid", npz.toString(), prep.toString()));
    assertEquals(0.0, ScoreCommandsTest.fid(fid), 1e-9);
  }

  @Test
  void pytorchFidsExtensionsDecodeToTheSamePixelsAndWebpIsADeadLetter() throws Exception {
    Path mixed = Files.createDirectories(dir.resolve("mixed"));
    for (int i = 0; i < N; i++) {
      String stem = String.format("%03d", i);
      switch (i % 5) {
        case 0 -> writeImageIo(mixed.resolve(stem + ".bmp"), images[i], "bmp");
        case 1 -> writeImageIo(mixed.resolve(stem + ".tiff"), images[i], "tiff");
        case 2 -> writeNetpbm(mixed.resolve(stem + ".pgm"), images[i], false);
        case 3 -> writeNetpbm(mixed.resolve(stem + ".ppm"), images[i], true);
        default ->
            Files.write(mixed.resolve(stem + ".PNG"), PngImages.encode(images[i], 1, 16, 16));
      }
    }
    // a WebP the JDK cannot decode, and a file with no image extension (not listed)
    Files.write(
        mixed.resolve("999.webp"),
        "RIFF\u0024\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1));
    Files.writeString(mixed.resolve("notes.txt"), "not an image");
    Path out = dir.resolve("mixed.npz");
    Result r = ScoreCommandsTest.spdiff(domain("stats", mixed.toString(), "--out=" + out));
    assertEquals(0, r.status(), r.err());
    assertTrue(
        r.err().contains("dead letter: " + mixed.resolve("999.webp") + ": unsupported-format"),
        r.err());
    assertEquals(1, r.err().lines().filter(l -> l.startsWith("dead letter")).count(), r.err());
    assertSame(stats(png.toString()), StatsNpz.read(out), "bmp/tiff/pgm/ppm/png folder");
  }

  @Test
  void featuresCommandWritesTheMatrixAsNpy() throws Exception {
    Path out = dir.resolve("features.npy");
    Result r = ScoreCommandsTest.spdiff(domain("features", png.toString(), "--out=" + out));
    assertEquals(0, r.status(), r.err());
    FeatureMoments m = stats(png.toString());
    try (NDManager mgr = NDManager.newBaseManager();
        InputStream in = Files.newInputStream(out)) {
      NDArray a = NDList.decode(mgr, in).singletonOrThrow();
      assertEquals(new Shape(N, m.mu().length), a.getShape());
      float[] v = a.toFloatArray();
      int d = m.mu().length;
      for (int j = 0; j < d; j++) {
        double mean = 0;
        for (int i = 0; i < N; i++) {
          mean += v[i * d + j];
        }
        assertEquals(m.mu()[j], mean / N, 1e-5 * (1 + Math.abs(m.mu()[j])), "column " + j);
      }
    }
    Result stats =
        ScoreCommandsTest.spdiff(
            domain("features", dir.resolve("none.npz").toString(), "--out=" + out));
    assertEquals(2, stats.status());
    Result noOut = ScoreCommandsTest.spdiff(domain("features", png.toString(), "--out=f.csv"));
    assertEquals(2, noOut.status());
    assertTrue(noOut.err().contains("--out=FILE.npy"), noOut.err());
  }

  static void writeImageIo(Path f, byte[] gray, String format) throws Exception {
    BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setSamples(0, 0, 16, 16, 0, toInts(gray));
    try (OutputStream o = Files.newOutputStream(f)) {
      assertTrue(ImageIO.write(img, format, o), format);
    }
  }

  static int[] toInts(byte[] b) {
    int[] v = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      v[i] = b[i] & 0xFF;
    }
    return v;
  }

  /** Binary PGM (P5) or PPM (P6, the gray value in all three channels), with a comment. */
  static void writeNetpbm(Path f, byte[] gray, boolean rgb) throws Exception {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(
        ((rgb ? "P6" : "P5") + "\n# spdiff test\n16 16\n255\n")
            .getBytes(StandardCharsets.US_ASCII));
    for (byte g : gray) {
      o.write(g);
      if (rgb) {
        o.write(g);
        o.write(g);
      }
    }
    Files.write(f, o.toByteArray());
  }
}
