package org.spdiff.pipelines.scores;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spdiff.core.data.ImageSet;
import org.spdiff.metrics.inception.InceptionWeights;
import org.spdiff.pipelines.prepare.records.RecordShards;
import org.spdiff.pipelines.scores.ScoreCommandsTest.Result;
import org.spdiff.pipelines.stages.PngImages;

/**
 * The FID between the same two folders under pytorch-fid's resize and clean-fid's, through {@code
 * spdiff fid}, so users see the size of the difference. By default the folders are the first {@code
 * bench.n} (200) Fashion-MNIST training and test images written as PNGs (28x28 gray, upsampled to
 * 299 either way); {@code -Dbench.a=DIR -Dbench.b=DIR} score folders of your own. Weights: {@code
 * -Dbench.weights=FILE} (pytorch-fid's .pth for real FIDs), else seeded random weights of the same
 * architecture (then only the relative size of the difference means anything).
 *
 * <pre>
 * mvn -o -q -B -pl pipelines -am test -Dsurefire.excludedGroups=none -Dtest=ResizeFidExample \
 *   -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.n=200] [-Dbench.weights=pt_inception-2015-12-05-6726825d.pth]
 * </pre>
 */
@Tag("bench")
class ResizeFidExample {

  @Test
  void fidUnderBothResizes() throws Exception {
    int n = Integer.getInteger("bench.n", 200);
    Path tmp = Files.createTempDirectory("resize-fid");
    String a = System.getProperty("bench.a");
    String b = System.getProperty("bench.b");
    if (a == null || b == null) {
      Path prepared = tmp.resolve("prepared");
      Result p =
          ScoreCommandsTest.spdiff(
              "prepare",
              "--input=/usr/share/datasets/fashion-mnist",
              "--output=" + prepared,
              "--limit=" + n,
              "--runner=DirectRunner");
      assertEquals(0, p.status(), p.err());
      a = writeFolder(prepared, "train", tmp.resolve("train")).toString();
      b = writeFolder(prepared, "test", tmp.resolve("test")).toString();
    }
    String weights = System.getProperty("bench.weights");
    String note = "pytorch-fid's weights " + weights;
    if (weights == null) {
      Path w = tmp.resolve("seeded.safetensors");
      InceptionWeights.writeRandom(w, 1, List.of(), Map.of());
      weights = w.toString();
      note = "SEEDED RANDOM weights (read the relative difference only)";
    }
    double[] fid = new double[2];
    String[] methods = {"legacy-pytorch", "clean"};
    for (int i = 0; i < 2; i++) {
      long t0 = System.nanoTime();
      Result r =
          ScoreCommandsTest.spdiff(
              "fid", a, b, "--inceptionWeights=" + weights, "--resize=" + methods[i]);
      fid[i] = ScoreCommandsTest.fid(r);
      System.out.printf(
          Locale.ROOT,
          "--resize=%-15s %s (%.0f s)%n",
          methods[i],
          r.out().trim(),
          (System.nanoTime() - t0) / 1e9);
    }
    System.out.printf(
        Locale.ROOT,
        "FID(%s, %s), %s: legacy-pytorch %.4f, clean %.4f, clean - legacy %+.4f (%+.1f%%)%n",
        a,
        b,
        note,
        fid[0],
        fid[1],
        fid[1] - fid[0],
        100 * (fid[1] - fid[0]) / fid[0]);
  }

  static Path writeFolder(Path prepared, String split, Path out) throws Exception {
    ImageSet s = RecordShards.readSplit(prepared.toString(), split);
    Files.createDirectories(out);
    for (int i = 0; i < s.size(); i++) {
      Files.write(
          out.resolve(String.format("%05d.png", i)),
          PngImages.encode(s.pixels(i), s.channels(), s.height(), s.width()));
    }
    return out;
  }
}
