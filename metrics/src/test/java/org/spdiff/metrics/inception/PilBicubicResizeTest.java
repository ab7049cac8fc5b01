package org.spdiff.metrics.inception;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spdiff.metrics.Fixtures;

/**
 * clean-fid's resize against Pillow 9.4 (fixtures/resize/make_resize_fixtures.py): upsampling 28
 * and 32 to 299 along each axis, antialiased downscales, a tiny downscale, a checkerboard whose
 * bicubic ringing leaves [0, 255] (before and after the clip) and an unchanged size.
 */
class PilBicubicResizeTest {
  static final Fixtures F = Fixtures.load("resize/resize_fixtures.npz");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "up_rows",
        "up_cols",
        "up_32",
        "down",
        "down_slight",
        "down_big",
        "overshoot",
        "same"
      })
  void matchesPillowToTheBit(String name) {
    long[] inShape = F.shape(name + "_in");
    long[] outShape = F.shape(name + "_out");
    double[] in = F.vector(name + "_in");
    float[] x = new float[in.length];
    for (int i = 0; i < in.length; i++) {
      x[i] = (float) in[i];
    }
    float[] raw =
        PilBicubicResize.resize(
            x, (int) inShape[0], (int) inShape[1], (int) outShape[0], (int) outShape[1]);
    double worst = maxError(F.vector(name + "_raw"), raw);
    double worstClipped = maxError(F.vector(name + "_out"), PilBicubicResize.clip255(raw));
    System.out.printf(
        "%s %dx%d -> %dx%d: max |PIL - spdiff| = %.3g before the clip, %.3g after%n",
        name, inShape[0], inShape[1], outShape[0], outShape[1], worst, worstClipped);
    // acceptance: 1e-4 per pixel; the same arithmetic in the same order gives 0
    assertEquals(0.0, worst, 0.0, name);
    assertEquals(0.0, worstClipped, 0.0, name);
  }

  static double maxError(double[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    }
    return worst;
  }

  @Test
  void overshootIsClipped() {
    double[] raw = F.vector("overshoot_raw");
    double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
    for (double v : raw) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    assertTrue(lo < 0 && hi > 255, "the fixture rings past [0, 255]: " + lo + ", " + hi);
  }

  @Test
  void tapsSumToOneAndWidenWhenDownscaling() {
    PilBicubicResize.Taps up = PilBicubicResize.taps(28, 299);
    PilBicubicResize.Taps down = PilBicubicResize.taps(299 * 3, 299);
    for (PilBicubicResize.Taps t : new PilBicubicResize.Taps[] {up, down}) {
      for (int o = 0; o < t.first().length; o++) {
        double s = 0;
        for (int j = 0; j < t.count()[o]; j++) {
          s += t.weights()[o * t.ksize() + j];
        }
        assertEquals(1.0, s, 1e-12);
      }
    }
    assertTrue(up.count()[150] <= 5, "bicubic upsampling uses 4-5 taps");
    assertTrue(down.count()[150] >= 12, "3x downscale: the support widens to 2 x 3 each side");
    // Keys' kernel at a = -0.5: 1 at 0, 0 at the integers, -0.0625 at 1.5
    assertEquals(1.0, PilBicubicResize.bicubic(0), 0);
    assertEquals(0.0, PilBicubicResize.bicubic(1), 0);
    assertEquals(0.0, PilBicubicResize.bicubic(2), 0);
    assertEquals(-0.0625, PilBicubicResize.bicubic(1.5), 1e-15);
    assertThrows(
        IllegalArgumentException.class, () -> PilBicubicResize.resize(new float[3], 2, 2, 4, 4));
  }

  @Test
  void resizeMethodsParseByName() {
    assertEquals(ResizeMethod.CLEAN, ResizeMethod.parse("clean"));
    assertEquals(ResizeMethod.LEGACY_PYTORCH, ResizeMethod.parse("legacy-pytorch"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ResizeMethod.parse("bilinear"));
    assertTrue(e.getMessage().contains("legacy-pytorch") && e.getMessage().contains("clean"));
  }
}
