package org.spdiff.pipelines.scores;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.spdiff.metrics.ImageSource;
import org.spdiff.pipelines.cli.UsageException;
import org.spdiff.pipelines.prepare.BadInputException;
import org.spdiff.pipelines.prepare.DeadLetterReason;
import org.spdiff.pipelines.prepare.ImageDecoder;
import org.spdiff.pipelines.prepare.ImageOps;

/**
 * An image folder as pytorch-fid reads one: the files directly in it with pytorch-fid's extensions
 * ({@link #EXTENSIONS}, any case), sorted by name, decoded one batch at a time. PNG and JPEG go
 * through the prepare step's decoder, BMP and TIFF through javax.imageio, PGM and PPM through
 * {@link NetpbmDecoder}; WebP, which the JDK cannot decode, and any file that fails to decode is a
 * dead letter: one line {@code dead letter: <file>: <reason> (<why>)} on standard error, and the
 * file is skipped.
 */
final class FolderImages implements ImageSource {
  /** pytorch-fid's {@code IMAGE_EXTENSIONS}. */
  static final List<String> EXTENSIONS =
      List.of("bmp", "jpg", "jpeg", "pgm", "png", "ppm", "tif", "tiff", "webp");

  private final List<Path> files;
  private final int[] target;
  private final PrintStream deadLetters;
  private int[] shape;
  private int next;
  private int skipped;

  /**
   * @param target (channels, height, width) every image is converted to (a domain classifier's
   *     input), or null to keep the first image's shape (a later gray image is repeated to RGB if
   *     the first was RGB; any other difference fails naming the file)
   */
  FolderImages(List<Path> files, int[] target, PrintStream deadLetters) {
    this.files = files;
    this.target = target;
    this.deadLetters = deadLetters;
  }

  /** The image files of {@code dir}, sorted. */
  static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(FolderImages::hasImageExtension)
          .sorted()
          .toList();
    }
  }

  static boolean hasImageExtension(Path f) {
    String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = n.lastIndexOf('.');
    return dot >= 0 && EXTENSIONS.contains(n.substring(dot + 1));
  }

  /** Files skipped as dead letters so far. */
  int skipped() {
    return skipped;
  }

  /** The next decodable images, at most {@code max}, all of one shape. */
  @Override
  public Batch next(int max) throws IOException {
    List<byte[]> out = new ArrayList<>();
    while (out.size() < max && next < files.size()) {
      Path f = files.get(next++);
      ImageDecoder.Decoded d;
      try {
        d = decode(Files.readAllBytes(f), f.getFileName().toString());
      } catch (BadInputException e) {
        skipped++;
        deadLetters.println(
            "dead letter: " + f + ": " + e.reason().code() + " (" + e.getMessage() + ")");
        continue;
      }
      out.add(conform(f, d));
    }
    if (out.isEmpty()) {
      return new Batch(new byte[0][], 0, 0, 0);
    }
    return new Batch(out.toArray(byte[][]::new), shape[0], shape[1], shape[2]);
  }

  private byte[] conform(Path f, ImageDecoder.Decoded d) {
    if (target != null) {
      shape = target;
      return ScoreInputs.toShape(d.pixels(), d.channels(), d.height(), d.width(), target);
    }
    if (shape == null) {
      shape = new int[] {d.channels(), d.height(), d.width()};
    }
    byte[] px = d.pixels();
    int c = d.channels();
    if (c == 1 && shape[0] == 3) {
      px = ImageOps.toChannels(px, d.height(), d.width(), 1, 3);
      c = 3;
    }
    if (c != shape[0] || d.height() != shape[1] || d.width() != shape[2]) {
      throw new UsageException(
          f
              + ": "
              + c
              + "x"
              + d.height()
              + "x"
              + d.width()
              + " differs from the folder's first image ("
              + shape[0]
              + "x"
              + shape[1]
              + "x"
              + shape[2]
              + "); use images of one size");
    }
    return px;
  }

  /** Decodes one file's bytes by its content (the name only classifies undecodable bytes). */
  static ImageDecoder.Decoded decode(byte[] bytes, String name) throws BadInputException {
    if (NetpbmDecoder.sniff(bytes)) {
      return NetpbmDecoder.decode(bytes);
    }
    String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    boolean png = bytes.length >= 4 && (bytes[0] & 0xFF) == 0x89 && bytes[1] == 'P';
    boolean jpeg = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8;
    if (png || jpeg || ext.equals("png") || ext.equals("jpg") || ext.equals("jpeg")) {
      return ImageDecoder.decode(bytes, name);
    }
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(
          DeadLetterReason.CORRUPT, "unreadable " + ext + ": " + e.getMessage(), e);
    }
    if (image == null) {
      throw new BadInputException(
          DeadLetterReason.UNSUPPORTED_FORMAT,
          "no Java decoder for this "
              + ext.toUpperCase(Locale.ROOT)
              + " file (javax.imageio reads BMP, TIFF, PNG, JPEG; convert it to PNG)");
    }
    return ImageDecoder.toPlanes(image);
  }
}
