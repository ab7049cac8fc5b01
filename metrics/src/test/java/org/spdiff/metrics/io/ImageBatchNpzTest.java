package org.spdiff.metrics.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.metrics.Fixtures;
import org.spdiff.metrics.ImageSource;

/** {@code arr_0} image batches written by numpy (fixtures/npz_images). */
class ImageBatchNpzTest {
  @TempDir Path dir;

  static double[] flat(ImageSource.Batch b) {
    int size = b.channels() * b.height() * b.width();
    double[] out = new double[b.images().length * size];
    for (int i = 0; i < b.images().length; i++) {
      for (int j = 0; j < size; j++) {
        out[i * size + j] = b.images()[i][j] & 0xFF;
      }
    }
    return out;
  }

  @Test
  void readsRgbBatchesInCHWOrderInAnyBatchSize() throws Exception {
    Fixtures expected = Fixtures.load("npz_images/expected.npz");
    for (String f : new String[] {"rgb.npz", "rgb_compressed.npz"}) {
      Path p = Fixtures.path("npz_images/" + f);
      assertTrue(ImageBatchNpz.isImageBatch(p));
      try (ImageBatchNpz npz = ImageBatchNpz.open(p)) {
        assertEquals(3, npz.count());
        ImageSource.Batch a = npz.next(2);
        ImageSource.Batch b = npz.next(2);
        assertEquals(0, npz.next(2).images().length);
        assertEquals(3, a.channels());
        assertEquals(4, a.height());
        assertEquals(5, a.width());
        assertEquals(2, a.images().length);
        assertEquals(1, b.images().length);
        double[] all = new double[3 * 60];
        System.arraycopy(flat(a), 0, all, 0, 120);
        System.arraycopy(flat(b), 0, all, 120, 60);
        assertArrayEquals(expected.vector("chw"), all, 0.0, f);
      }
    }
  }

  @Test
  void grayWithoutChannelAxis() throws Exception {
    try (ImageBatchNpz npz = ImageBatchNpz.open(Fixtures.path("npz_images/gray.npz"))) {
      ImageSource.Batch b = npz.next(10);
      assertEquals(1, b.channels());
      assertArrayEquals(Fixtures.load("npz_images/expected.npz").vector("gray_chw"), flat(b), 0.0);
    }
  }

  @Test
  void statisticsAndFloatArraysAreRefusedByName() throws Exception {
    Path f = Fixtures.path("npz_images/float.npz");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImageBatchNpz.open(f));
    assertTrue(
        e.getMessage().contains("float.npz") && e.getMessage().contains("uint8"), e.getMessage());
    Path stats = Fixtures.path("stats_savez.npz");
    assertFalse(ImageBatchNpz.isImageBatch(stats));
    e = assertThrows(IllegalArgumentException.class, () -> ImageBatchNpz.open(stats));
    assertTrue(e.getMessage().contains("no 'arr_0'"), e.getMessage());
  }
}
