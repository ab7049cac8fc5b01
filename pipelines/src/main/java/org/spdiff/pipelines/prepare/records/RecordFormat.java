package org.spdiff.pipelines.prepare.records;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The on-disk record layout (format version 1).
 *
 * <p><b>Framing</b> (TFRecord, readable by Beam's {@code TFRecordIO} and TensorFlow): per record,
 * {@code uint64 LE length}, {@code uint32 LE masked CRC32C of the 8 length bytes}, {@code payload},
 * {@code uint32 LE masked CRC32C of the payload}; mask(c) = ((c >>> 15) | (c << 17)) + 0xa282ead8.
 *
 * <p><b>Payload</b> (big-endian): ASCII {@code "SPDR"}, version byte {@code 1}, int32 height, int32
 * width, int32 channels, int32 label (-1 unlabelled), uint16 byte length + UTF-8 source id, then
 * {@code channels*height*width} uint8 pixels in <b>CHW</b> order (all of channel 0 row by row, then
 * channel 1, ...), the order of {@link org.spdiff.core.data.ImageSet}.
 *
 * <p>Encoding is a pure function of the record, so equal records give equal bytes.
 */
public final class RecordFormat {
  /** Payload magic. */
  public static final byte[] MAGIC = {'S', 'P', 'D', 'R'};

  /** Payload layout version written by this build. */
  public static final int VERSION = 1;

  private static final int MASK_DELTA = 0xa282ead8;

  private RecordFormat() {}

  /** Encodes the payload of {@code r} (split and index are not stored: order in shards is). */
  public static byte[] encodePayload(ImageRecord r) {
    byte[] id = r.sourceId().getBytes(StandardCharsets.UTF_8);
    if (id.length > 0xFFFF) {
      throw new IllegalArgumentException("source id longer than 65535 bytes: " + r.sourceId());
    }
    ByteBuffer b = ByteBuffer.allocate(4 + 1 + 16 + 2 + id.length + r.pixels().length);
    b.order(ByteOrder.BIG_ENDIAN);
    b.put(MAGIC).put((byte) VERSION);
    b.putInt(r.height()).putInt(r.width()).putInt(r.channels()).putInt(r.label());
    b.putShort((short) id.length).put(id);
    b.put(r.pixels());
    return b.array();
  }

  /** Decodes a payload; {@code split} and {@code index} are supplied by the reader. */
  public static ImageRecord decodePayload(byte[] payload, String split, long index)
      throws IOException {
    ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.BIG_ENDIAN);
    if (payload.length < 23
        || payload[0] != MAGIC[0]
        || payload[1] != MAGIC[1]
        || payload[2] != MAGIC[2]
        || payload[3] != MAGIC[3]) {
      throw new IOException("record " + index + " of " + split + ": not an SPDR payload");
    }
    b.position(4);
    int version = b.get() & 0xFF;
    if (version != VERSION) {
      throw new IOException("record " + index + ": unsupported SPDR version " + version);
    }
    int h = b.getInt();
    int w = b.getInt();
    int c = b.getInt();
    int label = b.getInt();
    int idLen = b.getShort() & 0xFFFF;
    if (b.remaining() < idLen) {
      throw new IOException("record " + index + ": truncated source id");
    }
    byte[] id = new byte[idLen];
    b.get(id);
    long n = (long) h * w * c;
    if (h <= 0 || w <= 0 || c <= 0 || n != b.remaining()) {
      throw new IOException(
          "record " + index + ": shape " + c + "x" + h + "x" + w + " vs " + b.remaining());
    }
    byte[] pixels = new byte[(int) n];
    b.get(pixels);
    return new ImageRecord(
        split, index, new String(id, StandardCharsets.UTF_8), label, h, w, c, pixels);
  }

  /** CRC32C masked as TFRecord does. */
  public static int maskedCrc32c(byte[] data, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(data, off, len);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + MASK_DELTA;
  }

  /** Writes one TFRecord frame around {@code payload}. */
  public static void writeFrame(OutputStream out, byte[] payload) throws IOException {
    byte[] header = new byte[12];
    ByteBuffer hb = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    hb.putLong(payload.length);
    hb.putInt(maskedCrc32c(header, 0, 8));
    out.write(header);
    out.write(payload);
    byte[] footer = new byte[4];
    ByteBuffer.wrap(footer)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(maskedCrc32c(payload, 0, payload.length));
    out.write(footer);
  }

  /** Encodes {@code r} as a complete frame. */
  public static byte[] frame(ImageRecord r) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      writeFrame(new DataOutputStream(bytes), encodePayload(r));
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads the next frame's payload, checking both CRCs; returns null at a clean end of stream.
   *
   * @throws IOException on a truncated frame or a CRC mismatch
   */
  public static byte[] readFrame(InputStream in) throws IOException {
    byte[] header = new byte[12];
    int got = readFully(in, header);
    if (got == 0) {
      return null;
    }
    if (got < 12) {
      throw new EOFException("truncated record header");
    }
    ByteBuffer hb = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    long len = hb.getLong();
    int crc = hb.getInt();
    if (crc != maskedCrc32c(header, 0, 8)) {
      throw new IOException("record length CRC mismatch");
    }
    if (len < 0 || len > Integer.MAX_VALUE - 16) {
      throw new IOException("record length out of range: " + len);
    }
    byte[] payload = new byte[(int) len];
    if (readFully(in, payload) < len) {
      throw new EOFException("truncated record payload");
    }
    byte[] footer = new byte[4];
    if (readFully(in, footer) < 4) {
      throw new EOFException("truncated record footer");
    }
    int pcrc = ByteBuffer.wrap(footer).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (pcrc != maskedCrc32c(payload, 0, payload.length)) {
      throw new IOException("record payload CRC mismatch");
    }
    return payload;
  }

  private static int readFully(InputStream in, byte[] buf) throws IOException {
    int off = 0;
    while (off < buf.length) {
      int n = in.read(buf, off, buf.length - off);
      if (n < 0) {
        break;
      }
      off += n;
    }
    return off;
  }
}
