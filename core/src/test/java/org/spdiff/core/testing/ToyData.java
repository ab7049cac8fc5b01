package org.spdiff.core.testing;

import org.spdiff.core.data.ImageSet;

/** Toy datasets: a few fixed patterns repeated. */
public final class ToyData {
  private ToyData() {}

  /**
   * {@code n} images of {@code size x size x channels} cycling through 4 patterns (stripes
   * horizontal/vertical, checkerboard, a centred square); labels = pattern id (4 classes).
   */
  public static ImageSet patterns(int n, int channels, int size) {
    byte[][] px = new byte[n][channels * size * size];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int k = i % 4;
      labels[i] = k;
      for (int c = 0; c < channels; c++) {
        for (int y = 0; y < size; y++) {
          for (int x = 0; x < size; x++) {
            boolean on =
                switch (k) {
                  case 0 -> (y / 2) % 2 == 0;
                  case 1 -> (x / 2) % 2 == 0;
                  case 2 -> ((x / 2) + (y / 2)) % 2 == 0;
                  default -> x >= size / 4 && x < 3 * size / 4 && y >= size / 4 && y < 3 * size / 4;
                };
            px[i][(c * size + y) * size + x] = (byte) (on ? 255 : 0);
          }
        }
      }
    }
    return new ImageSet(channels, size, size, px, labels, 4);
  }
}
