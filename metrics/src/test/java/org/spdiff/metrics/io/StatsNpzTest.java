package org.spdiff.metrics.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.metrics.Fixtures;
import org.spdiff.metrics.stats.FeatureMoments;

class StatsNpzTest {

  @Test
  void roundTripIsExact(@TempDir Path dir) throws Exception {
    double[] mu = {1e-300, -2.5, Math.PI};
    double[][] sigma = {{1, 0.1, 1e-17}, {0.1, 2, 0.3}, {1e-17, 0.3, 3}};
    Path file = dir.resolve("sub/stats.npz");
    StatsNpz.write(file, new FeatureMoments(mu, sigma));
    FeatureMoments back = StatsNpz.read(file);
    assertArrayEquals(mu, back.mu(), 0);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(sigma[i], back.sigma()[i], 0);
    }
  }

  /** Every entry carries the fixed zip time and no extra field: equal moments, equal bytes. */
  @Test
  void writtenArchiveIsByteReproducible(@TempDir Path dir) throws Exception {
    FeatureMoments m = new FeatureMoments(new double[] {1, 2}, new double[][] {{1, 0}, {0, 1}});
    Path a = dir.resolve("a.npz");
    StatsNpz.write(a, m);
    int entries = 0;
    try (ZipFile z = new ZipFile(a.toFile())) {
      for (ZipEntry e : java.util.Collections.list(z.entries())) {
        assertEquals(StatsNpz.ENTRY_TIME, e.getTimeLocal(), e.getName());
        assertEquals(null, e.getExtra(), e.getName());
        entries++;
      }
    }
    assertEquals(2, entries);
    byte[] first = Files.readAllBytes(a);
    // The same archive rewritten from DJL's encoding (new entry times) is byte-equal.
    assertArrayEquals(first, StatsNpz.reproducible(first));
  }

  @Test
  void readsNumpySavezAndSavezCompressed() throws Exception {
    Fixtures f = Fixtures.load("fid_fixture.npz");
    for (String name : new String[] {"stats_savez.npz", "stats_savez_compressed.npz"}) {
      FeatureMoments m = StatsNpz.read(Fixtures.path(name));
      assertEquals(6, m.dim());
      for (int i = 0; i < 6; i++) {
        assertEquals(f.vector("mu1")[i], m.mu()[i], 0, name);
        for (int j = 0; j < 6; j++) {
          assertEquals(f.matrix("sigma1")[i][j], m.sigma()[i][j], 0, name);
        }
      }
    }
  }

  @Test
  void missingKeyOrWrongShapeNamesKeyAndFile() {
    Path noSigma = Fixtures.path("stats_no_sigma.npz");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StatsNpz.read(noSigma));
    assertTrue(
        e.getMessage().contains("'sigma'") && e.getMessage().contains("stats_no_sigma.npz"),
        e.getMessage());
    Path bad = Fixtures.path("stats_bad_shape.npz");
    e = assertThrows(IllegalArgumentException.class, () -> StatsNpz.read(bad));
    assertTrue(
        e.getMessage().contains("'sigma'")
            && e.getMessage().contains("stats_bad_shape.npz")
            && e.getMessage().contains("(6, 5)"),
        e.getMessage());
  }
}
