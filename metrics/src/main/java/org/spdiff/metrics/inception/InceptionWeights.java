package org.spdiff.metrics.inception;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.spdiff.metrics.io.StoredTensor;
import org.spdiff.metrics.io.TorchCheckpoint;

/**
 * Inception weights whose tensor names are pytorch-fid's state-dict keys ({@link
 * InceptionV3Architecture#parameterShapes()}): pytorch-fid's {@code
 * pt_inception-2015-12-05-6726825d.pth} as published (either {@code torch.save} serialisation, read
 * by {@link TorchCheckpoint}, no Python), or a safetensors file such as {@code
 * infra/weights/convert_pytorch_fid.py} writes. The format is told by the file's first bytes.
 * Loading is strict like PyTorch's {@code load_state_dict(strict=True)}: a missing tensor, a wrong
 * shape or an unexpected tensor fails with a message naming it and the file; only {@code
 * *.num_batches_tracked} may be extra.
 */
public final class InceptionWeights {
  /**
   * pytorch-fid's release of the FID Inception weights (what {@code python -m pytorch_fid}
   * downloads on first use); the name carries the first 8 hex digits of its sha256.
   */
  public static final String PYTORCH_FID_URL =
      "https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/"
          + "pt_inception-2015-12-05-6726825d.pth";

  private InceptionWeights() {}

  /**
   * Reads and validates all tensors into {@code manager} as float32.
   *
   * @return key -> tensor, for every key of {@link InceptionV3Architecture#parameterShapes()}
   */
  public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
    Map<String, NDArray> byName =
        TorchCheckpoint.looksLikeTorchFile(file)
            ? readTorch(file, manager)
            : readSafetensors(file, manager);
    Map<String, Shape> expected = InceptionV3Architecture.parameterShapes();
    Map<String, NDArray> out = new HashMap<>();
    for (Map.Entry<String, Shape> e : expected.entrySet()) {
      NDArray a = byName.remove(e.getKey());
      if (a == null) {
        throw new IllegalArgumentException(
            "tensor '"
                + e.getKey()
                + "' missing in "
                + file
                + " (expected shape "
                + e.getValue()
                + ")");
      }
      if (!a.getShape().equals(e.getValue())) {
        throw new IllegalArgumentException(
            "tensor '"
                + e.getKey()
                + "' in "
                + file
                + " has shape "
                + a.getShape()
                + ", expected "
                + e.getValue());
      }
      out.put(
          e.getKey(), a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false));
    }
    List<String> unexpected = new ArrayList<>();
    for (String k : byName.keySet()) {
      if (!k.endsWith(".num_batches_tracked")) {
        unexpected.add(k);
      }
    }
    if (!unexpected.isEmpty()) {
      unexpected.sort(null);
      throw new IllegalArgumentException(
          "unexpected tensors in " + file + " (not the FID Inception?): " + unexpected);
    }
    return out;
  }

  private static Map<String, NDArray> readSafetensors(Path file, NDManager manager)
      throws IOException {
    NDList list;
    try (InputStream in = Files.newInputStream(file)) {
      list = NDList.decode(manager, in);
    } catch (RuntimeException e) {
      throw new IOException("cannot decode " + file + " as safetensors: " + e.getMessage(), e);
    }
    Map<String, NDArray> byName = new HashMap<>();
    for (NDArray a : list) {
      byName.put(a.getName(), a);
    }
    return byName;
  }

  /**
   * A {@code torch.save} state dict (pytorch-fid's {@code .pth} as published, or either PyTorch
   * serialisation of the same names), as float32 arrays; {@code num_batches_tracked} is skipped.
   */
  private static Map<String, NDArray> readTorch(Path file, NDManager manager) throws IOException {
    Map<String, NDArray> byName = new HashMap<>();
    for (Map.Entry<String, StoredTensor> e : TorchCheckpoint.readStateDict(file).entrySet()) {
      if (e.getKey().endsWith(".num_batches_tracked")) {
        continue;
      }
      StoredTensor t = e.getValue();
      NDArray a = manager.create(t.toFloatArray(), new Shape(t.shape()));
      a.setName(e.getKey());
      byName.put(e.getKey(), a);
    }
    return byName;
  }

  /** Folds each BatchNorm into its conv: {@code name -> [weight, bias]}. */
  static InceptionV3Architecture.Parameters fold(Map<String, NDArray> raw) {
    Map<String, NDArray[]> folded = new HashMap<>();
    for (ConvSpec c : InceptionV3Architecture.convs()) {
      String n = c.name();
      NDArray gamma = raw.get(n + ".bn.weight");
      NDArray scale =
          gamma.div(raw.get(n + ".bn.running_var").add(InceptionV3Architecture.BN_EPS).sqrt());
      NDArray w = raw.get(n + ".conv.weight").mul(scale.reshape(c.out(), 1, 1, 1));
      NDArray b = raw.get(n + ".bn.bias").sub(raw.get(n + ".bn.running_mean").mul(scale));
      folded.put(n, new NDArray[] {w, b});
    }
    NDArray fcT = raw.get("fc.weight").transpose().duplicate();
    NDArray fcBias = raw.get("fc.bias");
    return new InceptionV3Architecture.Parameters() {
      @Override
      public NDArray weight(String conv) {
        return folded.get(conv)[0];
      }

      @Override
      public NDArray bias(String conv) {
        return folded.get(conv)[1];
      }

      @Override
      public NDArray fcWeightTransposed() {
        return fcT;
      }

      @Override
      public NDArray fcBias() {
        return fcBias;
      }
    };
  }

  /** First 16 hex digits of the file's SHA-256, for the extractor id. */
  public static String sha256Prefix(Path file) throws IOException {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of()
          .formatHex(((DigestInputStream) in).getMessageDigest().digest())
          .substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes seeded random weights with the right names and shapes (for tests and benchmarks: the
   * real weights cannot be downloaded here). Convs He-normal, BatchNorm near identity, fc small.
   *
   * @param skip keys to leave out (to test errors)
   * @param override keys to write with a different shape (to test errors)
   */
  public static void writeRandom(
      Path file, long seed, List<String> skip, Map<String, Shape> override) throws IOException {
    Random r = new Random(seed);
    try (NDManager m = NDManager.newBaseManager();
        OutputStream out = Files.newOutputStream(file)) {
      NDList list = new NDList();
      for (Map.Entry<String, Shape> e : InceptionV3Architecture.parameterShapes().entrySet()) {
        String k = e.getKey();
        if (skip.contains(k)) {
          continue;
        }
        Shape s = override.getOrDefault(k, e.getValue());
        float[] v = new float[Math.toIntExact(s.size())];
        double fanIn =
            s.dimension() == 4 ? s.get(1) * s.get(2) * s.get(3) : s.get(s.dimension() - 1);
        for (int i = 0; i < v.length; i++) {
          double g = r.nextGaussian();
          if (k.endsWith("conv.weight")) {
            v[i] = (float) (g * Math.sqrt(2.0 / fanIn));
          } else if (k.endsWith("bn.weight")) {
            v[i] = (float) (1 + 0.1 * g);
          } else if (k.endsWith("bn.running_var")) {
            v[i] = (float) (1 + 0.1 * Math.abs(g));
          } else if (k.equals("fc.weight")) {
            v[i] = (float) (g * 0.05);
          } else {
            v[i] = (float) (0.1 * g);
          }
        }
        NDArray a = m.create(v, s);
        a.setName(k);
        list.add(a);
      }
      list.encode(out, NDList.Encoding.SAFETENSORS);
    }
  }
}
