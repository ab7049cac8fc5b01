package org.spdiff.pipelines.prepare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.spdiff.pipelines.prepare.records.ImageRecord;

class ImageOpsTest {

  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  @Test
  void lumaIsBt601RoundedHalfUp() {
    assertEquals(0, ImageOps.luma(0, 0, 0));
    assertEquals(255, ImageOps.luma(255, 255, 255));
    assertEquals(76, ImageOps.luma(255, 0, 0)); // 76.245
    assertEquals(150, ImageOps.luma(0, 255, 0)); // 149.685
    assertEquals(29, ImageOps.luma(0, 0, 255)); // 29.07
    assertEquals(1, ImageOps.luma(0, 0, 5)); // 0.57 rounds up
    assertEquals(0, ImageOps.luma(1, 0, 0)); // 0.299 rounds down
    assertEquals(117, ImageOps.luma(100, 120, 150)); // 29.9 + 70.44 + 17.1 = 117.44
    assertEquals(118, ImageOps.luma(100, 121, 150)); // 118.027
  }

  @Test
  void rgbToGrayAndGrayToRgb() {
    // 1x2 RGB, CHW: R plane, G plane, B plane.
    byte[] rgb = bytes(255, 0, 0, 255, 0, 0);
    assertArrayEquals(bytes(76, 150), ImageOps.toChannels(rgb, 1, 2, 3, 1));
    assertArrayEquals(
        bytes(7, 200, 7, 200, 7, 200), ImageOps.toChannels(bytes(7, 200), 1, 2, 1, 3));
  }

  @Test
  void resizeFourByFourToTwoByTwoAveragesBoxes() {
    byte[] img =
        bytes(
            0, 2, 10, 20, //
            4, 6, 30, 40, //
            100, 100, 255, 255, //
            100, 101, 255, 254);
    // (0+2+4+6)/4 = 3, (10+20+30+40)/4 = 25, (100*3+101)/4 = 100.25, (255*3+254)/4 = 254.75
    assertArrayEquals(bytes(3, 25, 100, 255), ImageOps.resizeSquare(img, 1, 4, 2));
  }

  @Test
  void resizeThreeToTwoWeightsFractionalCoverage() {
    // Output 0 covers source [0, 1.5): (1*a + 0.5*b) / 1.5 per axis.
    byte[] img = bytes(0, 30, 60, 0, 30, 60, 0, 30, 60);
    // row: (0 + 15) / 1.5 = 10, (15 + 60) / 1.5 = 50
    assertArrayEquals(bytes(10, 50, 10, 50), ImageOps.resizeSquare(img, 1, 3, 2));
  }

  @Test
  void resizeUpIsBilinearWithHalfPixelCentres() {
    // 2 -> 4: centres at -0.25 (clamped 0), 0.25, 0.75, 1.25 (clamped 1).
    byte[] img = bytes(0, 100, 0, 100);
    byte[] out = ImageOps.resizeSquare(img, 1, 2, 4);
    assertArrayEquals(bytes(0, 25, 75, 100), java.util.Arrays.copyOfRange(out, 0, 4));
    assertArrayEquals(bytes(0, 25, 75, 100), java.util.Arrays.copyOfRange(out, 12, 16));
  }

  @Test
  void sameSizeIsANoOp() {
    byte[] img = bytes(1, 2, 3, 4);
    assertSame(img, ImageOps.resizeSquare(img, 1, 2, 2));
  }

  @Test
  void centreCropTakesTheMiddleSquare() {
    // 2 rows x 4 cols, 2 channels.
    byte[] img = bytes(1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 16, 17, 18);
    assertArrayEquals(bytes(2, 3, 6, 7, 12, 13, 16, 17), ImageOps.centreCrop(img, 2, 4, 2));
    // 3 rows x 2 cols: top = 0 (odd excess goes to the bottom).
    assertArrayEquals(bytes(1, 2, 3, 4), ImageOps.centreCrop(bytes(1, 2, 3, 4, 5, 6), 3, 2, 1));
  }

  @Test
  void convertCropsThenResizes() {
    // 2x4 gray, resolution 1: crop to middle 2x2 {2,3,6,7}, average 4.5 -> 5 (half up).
    ImageRecord r = new ImageRecord("train", 0, "x", 1, 2, 4, 1, bytes(1, 2, 3, 4, 5, 6, 7, 8));
    ImageRecord c = ConvertImages.convert(r, 1, 3);
    assertEquals(3, c.channels());
    assertArrayEquals(bytes(5, 5, 5), c.pixels());
  }
}
