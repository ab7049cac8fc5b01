package org.spdiff.pipelines.stages;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * Compact coders for the arrays that cross stage boundaries (samples and features): raw bytes and
 * floats instead of Java serialization, and structural equality by encoding (so Beam's mutation
 * checks compare content, not identity).
 */
public final class StageCoders {
  private StageCoders() {}

  /** Coder of {@link SampleShard}. */
  public static final class SampleShardCoder extends CustomCoder<SampleShard> {
    private static final long serialVersionUID = 1L;

    @Override
    public void encode(SampleShard s, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeInt(s.shard());
      out.writeLong(s.from());
      out.writeInt(s.channels());
      out.writeInt(s.height());
      out.writeInt(s.width());
      out.writeInt(s.images().length);
      for (byte[] im : s.images()) {
        out.writeInt(im.length);
        out.write(im);
      }
      out.flush();
    }

    @Override
    public SampleShard decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      int shard = in.readInt();
      long from = in.readLong();
      int c = in.readInt();
      int h = in.readInt();
      int w = in.readInt();
      byte[][] images = new byte[in.readInt()][];
      for (int i = 0; i < images.length; i++) {
        images[i] = new byte[in.readInt()];
        in.readFully(images[i]);
      }
      return new SampleShard(shard, from, images, c, h, w);
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** Coder of {@link ShardFeatures}. */
  public static final class ShardFeaturesCoder extends CustomCoder<ShardFeatures> {
    private static final long serialVersionUID = 1L;

    @Override
    public void encode(ShardFeatures s, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeInt(s.shard());
      writeMatrix(out, s.features());
      writeMatrix(out, s.logits());
      out.flush();
    }

    @Override
    public ShardFeatures decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      int shard = in.readInt();
      return new ShardFeatures(shard, readMatrix(in), readMatrix(in));
    }

    @Override
    public void verifyDeterministic() {}

    private static void writeMatrix(DataOutputStream out, float[][] m) throws IOException {
      out.writeInt(m.length);
      for (float[] row : m) {
        out.writeInt(row.length);
        for (float v : row) {
          out.writeFloat(v);
        }
      }
    }

    private static float[][] readMatrix(DataInputStream in) throws IOException {
      float[][] m = new float[in.readInt()][];
      for (int i = 0; i < m.length; i++) {
        m[i] = new float[in.readInt()];
        for (int j = 0; j < m[i].length; j++) {
          m[i][j] = in.readFloat();
        }
      }
      return m;
    }
  }
}
