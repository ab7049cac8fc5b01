package org.spdiff.metrics.inception;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.spdiff.metrics.Fixtures;

/**
 * Reassembles the full-size (95 MB) weight files that fixtures/pth/make_pth_fixtures.py had PyTorch
 * write ({@code inception_hash_zip}, {@code inception_hash_legacy}: torch.save's two
 * serialisations; {@code inception_hash_safetensors}: the converter's output of the same tensors)
 * from their committed skeletons (the file minus every tensor's data) and the oracle's hash weights
 * ({@link OracleWeights}), and checks the result's sha256 against the one PyTorch's file had.
 */
final class HashWeightFiles {
  private HashWeightFiles() {}

  /** Writes the file {@code stem} to {@code out}; fails unless it is byte for byte PyTorch's. */
  static Path rebuild(String stem, Path out) throws Exception {
    String expectedSha;
    long size;
    java.util.List<long[]> holes = new java.util.ArrayList<>();
    java.util.List<String> names = new java.util.ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                Fixtures.class.getResourceAsStream("fixtures/pth/" + stem + ".index"),
                StandardCharsets.UTF_8))) {
      String[] head = r.readLine().split(" ");
      expectedSha = head[1];
      size = Long.parseLong(head[3]);
      for (String line; (line = r.readLine()) != null; ) {
        String[] p = line.split(" ");
        holes.add(new long[] {Long.parseLong(p[0]), Long.parseLong(p[1])});
        names.add(p[2]);
      }
    }
    byte[] skeleton;
    try (InputStream in =
        new GZIPInputStream(
            Fixtures.class.getResourceAsStream("fixtures/pth/" + stem + ".skeleton.gz"))) {
      skeleton = in.readAllBytes();
    }
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long written = 0;
    int from = 0;
    try (OutputStream o = Files.newOutputStream(out)) {
      for (int i = 0; i < holes.size(); i++) {
        long off = holes.get(i)[0];
        int len = Math.toIntExact(holes.get(i)[1]);
        int keep = Math.toIntExact(off - written);
        write(o, sha, skeleton, from, keep);
        from += keep;
        float[] v = OracleWeights.values(names.get(i));
        if (v.length * 4 != len) {
          throw new IOException(names.get(i) + ": " + v.length * 4 + " bytes, index says " + len);
        }
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        write(o, sha, b.array(), 0, len);
        written = off + len;
      }
      write(o, sha, skeleton, from, skeleton.length - from);
    }
    if (Files.size(out) != size) {
      throw new IOException(
          stem + ": rebuilt " + Files.size(out) + " bytes, PyTorch's had " + size);
    }
    String got = HexFormat.of().formatHex(sha.digest());
    if (!got.equals(expectedSha)) {
      throw new IOException(stem + ": rebuilt sha256 " + got + " != PyTorch's " + expectedSha);
    }
    return out;
  }

  private static void write(OutputStream o, MessageDigest sha, byte[] b, int off, int len)
      throws IOException {
    o.write(b, off, len);
    sha.update(b, off, len);
  }
}
