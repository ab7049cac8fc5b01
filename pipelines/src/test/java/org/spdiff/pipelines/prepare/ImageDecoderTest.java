package org.spdiff.pipelines.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ImageDecoderTest {

  private static ImageDecoder.Decoded decode(byte[] b) throws BadInputException {
    return ImageDecoder.decode(b);
  }

  private static DeadLetterReason reasonOf(byte[] b) {
    return assertThrows(BadInputException.class, () -> ImageDecoder.decode(b)).reason();
  }

  @Test
  void grayPngStaysOneChannelWithExactValues() throws Exception {
    ImageDecoder.Decoded d = decode(TestImages.encode(TestImages.gray8(5, 3, 10), "png"));
    assertEquals(1, d.channels());
    assertEquals(3, d.height());
    assertEquals(5, d.width());
    assertEquals(10, d.pixels()[0] & 0xFF);
    assertEquals((4 * 7 + 2 * 3 + 10), d.pixels()[2 * 5 + 4] & 0xFF);
  }

  @Test
  void rgbPngGivesRgbPlanes() throws Exception {
    ImageDecoder.Decoded d = decode(TestImages.encode(TestImages.rgb(4, 2, 3), "png"));
    assertEquals(3, d.channels());
    int n = 8;
    // pixel (x=2, y=1): R = 2*9+3 = 21, G = 5, B = 3
    assertEquals(21, d.pixels()[6] & 0xFF);
    assertEquals(5, d.pixels()[n + 6] & 0xFF);
    assertEquals(3, d.pixels()[2 * n + 6] & 0xFF);
  }

  @Test
  void rgbaIsCompositedOnWhite() throws Exception {
    ImageDecoder.Decoded d =
        decode(TestImages.encode(TestImages.rgba(2, 2, 100, 0, 255, 128), "png"));
    assertEquals(3, d.channels());
    // 100*128/255 + 255*127/255 = 177.2 -> 177; 0 -> 127.0 -> 127; 255 -> 255
    assertEquals(177, d.pixels()[0] & 0xFF);
    assertEquals(127, d.pixels()[4] & 0xFF);
    assertEquals(255, d.pixels()[8] & 0xFF);
    ImageDecoder.Decoded clear =
        decode(TestImages.encode(TestImages.rgba(1, 1, 10, 20, 30, 0), "png"));
    assertEquals(255, clear.pixels()[0] & 0xFF);
  }

  @Test
  void grayAlphaIsCompositedOnWhiteAndStaysGray() throws Exception {
    ImageDecoder.Decoded d = decode(TestImages.encode(TestImages.grayAlpha(2, 2, 0, 128), "png"));
    assertEquals(1, d.channels());
    assertEquals(127, d.pixels()[0] & 0xFF);
  }

  @Test
  void sixteenBitIsScaledWithRounding() throws Exception {
    assertEquals(
        255, decode(TestImages.encode(TestImages.gray16(2, 2, 65535), "png")).pixels()[0] & 0xFF);
    // 32768 * 255 / 65535 = 127.502 -> 128
    assertEquals(
        128, decode(TestImages.encode(TestImages.gray16(2, 2, 32768), "png")).pixels()[0] & 0xFF);
    // 128 * 255 / 65535 = 0.498 -> 0; 129 -> 0.502 -> 1
    assertEquals(0, decode(TestImages.encode(TestImages.gray16(1, 1, 128), "png")).pixels()[0]);
    assertEquals(1, decode(TestImages.encode(TestImages.gray16(1, 1, 129), "png")).pixels()[0]);
  }

  @Test
  void paletteIsLookedUp() throws Exception {
    ImageDecoder.Decoded d = decode(TestImages.encode(TestImages.palette(4, 1), "png"));
    assertEquals(3, d.channels());
    // indices 0..3 = black, red, green, blue
    byte[] p = d.pixels();
    assertEquals(255, p[1] & 0xFF); // R of pixel 1
    assertEquals(255, p[4 + 2] & 0xFF); // G of pixel 2
    assertEquals(255, p[8 + 3] & 0xFF); // B of pixel 3
    assertEquals(0, p[8 + 1]);
  }

  @Test
  void jpegDecodes() throws Exception {
    ImageDecoder.Decoded d = decode(TestImages.encode(TestImages.rgb(16, 8, 1), "jpeg"));
    assertEquals(3, d.channels());
    assertEquals(8, d.height());
    ImageDecoder.Decoded g = decode(TestImages.encode(TestImages.gray8(16, 8, 1), "jpeg"));
    assertEquals(1, g.channels());
  }

  @Test
  void badInputsGetDistinctReasons() {
    assertEquals(DeadLetterReason.ZERO_BYTE, reasonOf(new byte[0]));
    assertEquals(DeadLetterReason.NOT_AN_IMAGE, reasonOf("hello, world".getBytes()));
    assertEquals(
        DeadLetterReason.UNSUPPORTED_FORMAT,
        reasonOf(TestImages.encode(TestImages.rgb(4, 4, 1), "bmp")));
    assertEquals(
        DeadLetterReason.UNSUPPORTED_FORMAT,
        reasonOf(TestImages.encode(TestImages.rgb(4, 4, 1), "gif")));
    assertEquals(
        DeadLetterReason.ABSURD_DIMENSIONS, reasonOf(TestImages.pngDeclaring(100_000, 100_000)));
    assertEquals(DeadLetterReason.ABSURD_DIMENSIONS, reasonOf(TestImages.pngDeclaring(9000, 9000)));
    assertEquals(
        DeadLetterReason.TRUNCATED,
        reasonOf(TestImages.truncated(TestImages.encode(TestImages.rgb(40, 40, 1), "png"))));
    assertEquals(
        DeadLetterReason.TRUNCATED,
        reasonOf(TestImages.truncated(TestImages.encode(TestImages.rgb(40, 40, 1), "jpeg"))));
    assertEquals(DeadLetterReason.CORRUPT, reasonOf(TestImages.corruptPng()));
  }

  private static DeadLetterReason reasonOf(byte[] b, String name) {
    return assertThrows(BadInputException.class, () -> ImageDecoder.decode(b, name)).reason();
  }

  @Test
  void bytesWithoutSignatureAreClassifiedByNameAndContent() {
    byte[] random = new byte[300];
    new java.util.Random(1).nextBytes(random);
    random[0] = 0x13;
    assertEquals(DeadLetterReason.CORRUPT, reasonOf(random, "cat/x.png"));
    assertEquals(DeadLetterReason.NOT_AN_IMAGE, reasonOf(random, "cat/x.bin"));
    assertEquals(DeadLetterReason.NOT_AN_IMAGE, reasonOf("just text".getBytes(), "x.png"));
    assertEquals(DeadLetterReason.UNSUPPORTED_FORMAT, reasonOf(random, "x.webp"));
    assertEquals(DeadLetterReason.UNSUPPORTED_FORMAT, reasonOf("<svg/>".getBytes(), "x.svg"));
  }

  @Test
  void pngWithAFlippedBitFailsItsCrc() {
    byte[] png = TestImages.encode(TestImages.rgb(16, 16, 2), "png");
    png[png.length - 20] ^= 0x10; // inside the last IDAT chunk
    assertEquals(DeadLetterReason.CORRUPT, reasonOf(png));
  }

  @Test
  void jpegDeclaringHugeSizeIsRejectedFromItsHeader() {
    byte[] jpg = TestImages.encode(TestImages.rgb(16, 16, 2), "jpeg");
    for (int i = 2; i + 9 < jpg.length; i++) {
      if ((jpg[i] & 0xFF) == 0xFF && (jpg[i + 1] & 0xFF) == 0xC0) {
        jpg[i + 5] = (byte) 0xEA; // height 60000
        jpg[i + 6] = (byte) 0x60;
        jpg[i + 7] = (byte) 0xEA; // width 60000
        jpg[i + 8] = (byte) 0x60;
        break;
      }
    }
    assertEquals(DeadLetterReason.ABSURD_DIMENSIONS, reasonOf(jpg));
  }

  @Test
  void jpegWithScrambledScanDataIsCorrupt() {
    byte[] jpg = TestImages.encode(TestImages.rgb(64, 64, 5), "jpeg");
    int mid = jpg.length / 2;
    for (int i = 0; i < 40; i++) {
      jpg[mid + i] = (byte) (i % 7 == 0 ? 0xFF : 0x12 + i);
    }
    assertEquals(DeadLetterReason.CORRUPT, reasonOf(jpg));
  }
}
