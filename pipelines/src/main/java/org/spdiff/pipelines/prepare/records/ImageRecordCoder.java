package org.spdiff.pipelines.prepare.records;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** A compact, deterministic Beam coder for {@link ImageRecord}. */
public final class ImageRecordCoder extends AtomicCoder<ImageRecord> {
  private static final ImageRecordCoder INSTANCE = new ImageRecordCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final VarIntCoder INT = VarIntCoder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();

  private ImageRecordCoder() {}

  public static ImageRecordCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ImageRecord r, OutputStream out) throws IOException {
    STRING.encode(r.split(), out);
    LONG.encode(r.index(), out);
    STRING.encode(r.sourceId(), out);
    INT.encode(r.label(), out);
    INT.encode(r.height(), out);
    INT.encode(r.width(), out);
    INT.encode(r.channels(), out);
    // Length is implied by the shape.
    new DataOutputStream(out).write(r.pixels());
  }

  @Override
  public ImageRecord decode(InputStream in) throws IOException {
    String split = STRING.decode(in);
    long index = LONG.decode(in);
    String sourceId = STRING.decode(in);
    int label = INT.decode(in);
    int h = INT.decode(in);
    int w = INT.decode(in);
    int c = INT.decode(in);
    byte[] pixels = new byte[Math.multiplyExact(Math.multiplyExact(h, w), c)];
    new DataInputStream(in).readFully(pixels);
    return new ImageRecord(split, index, sourceId, label, h, w, c, pixels);
  }

  @Override
  public void verifyDeterministic() {}
}
