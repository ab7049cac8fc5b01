package org.spdiff.pipelines.scores;

import java.nio.charset.StandardCharsets;
import org.spdiff.pipelines.prepare.BadInputException;
import org.spdiff.pipelines.prepare.DeadLetterReason;
import org.spdiff.pipelines.prepare.ImageDecoder;

/**
 * PGM and PPM images (Netpbm {@code P2}/{@code P5} gray, {@code P3}/{@code P6} RGB, maxval up to
 * 65535; ASCII or binary; {@code #} comments), which javax.imageio does not read, as uint8 CHW.
 * Samples are scaled to 8 bits as {@code round(v * 255 / maxval)}, half up (like the PNG path's
 * 16-bit samples).
 */
final class NetpbmDecoder {
  private NetpbmDecoder() {}

  /** Whether the bytes start with a PGM/PPM magic number. */
  static boolean sniff(byte[] b) {
    return b.length >= 2
        && b[0] == 'P'
        && (b[1] == '2' || b[1] == '3' || b[1] == '5' || b[1] == '6');
  }

  static ImageDecoder.Decoded decode(byte[] b) throws BadInputException {
    if (!sniff(b)) {
      throw new BadInputException(
          DeadLetterReason.CORRUPT, "not a PGM/PPM file (no P2/P3/P5/P6 magic)");
    }
    char kind = (char) b[1];
    int[] pos = {2};
    int w = number(b, pos);
    int h = number(b, pos);
    int max = number(b, pos);
    if (w < 1 || h < 1 || (long) w * h > ImageDecoder.MAX_PIXELS || max < 1 || max > 65535) {
      throw new BadInputException(
          DeadLetterReason.ABSURD_DIMENSIONS, "PGM/PPM header " + w + "x" + h + " maxval " + max);
    }
    int channels = kind == '3' || kind == '6' ? 3 : 1;
    int n = w * h;
    int[] samples = new int[n * channels];
    if (kind == '5' || kind == '6') {
      pos[0]++; // exactly one whitespace byte after maxval
      int bytes = max < 256 ? 1 : 2;
      if (b.length - pos[0] < (long) samples.length * bytes) {
        throw new BadInputException(
            DeadLetterReason.TRUNCATED,
            "PGM/PPM data ends early (" + (b.length - pos[0]) + " bytes)");
      }
      for (int i = 0; i < samples.length; i++) {
        int p = pos[0] + i * bytes;
        samples[i] = bytes == 1 ? b[p] & 0xFF : ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
      }
    } else {
      for (int i = 0; i < samples.length; i++) {
        samples[i] = number(b, pos);
      }
    }
    byte[] chw = new byte[samples.length];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < channels; c++) {
        int v = samples[i * channels + c];
        if (v > max) {
          throw new BadInputException(
              DeadLetterReason.CORRUPT, "sample " + v + " above maxval " + max);
        }
        chw[c * n + i] = (byte) ((v * 255L + max / 2) / max);
      }
    }
    return new ImageDecoder.Decoded(h, w, channels, chw);
  }

  /** The next ASCII decimal, skipping whitespace and comments. */
  private static int number(byte[] b, int[] pos) throws BadInputException {
    int p = pos[0];
    while (p < b.length && (Character.isWhitespace(b[p]) || b[p] == '#')) {
      if (b[p] == '#') {
        while (p < b.length && b[p] != '\n') {
          p++;
        }
      } else {
        p++;
      }
    }
    int start = p;
    while (p < b.length && b[p] >= '0' && b[p] <= '9') {
      p++;
    }
    if (p == start || p - start > 9) {
      throw new BadInputException(
          p >= b.length ? DeadLetterReason.TRUNCATED : DeadLetterReason.CORRUPT,
          "bad PGM/PPM number at byte " + start);
    }
    pos[0] = p;
    return Integer.parseInt(new String(b, start, p - start, StandardCharsets.US_ASCII));
  }
}
