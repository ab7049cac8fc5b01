package org.spdiff.core.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A TorchScript program written from Java and run by libtorch's own interpreter: the way to
 * libtorch operators and types that DJL 0.36's bindings lack (a bfloat16 forward pass, fused {@code
 * group_norm} and {@code silu}) without Python.
 *
 * <p>The archive is what {@code torch.jit.save} writes for a module without parameters or buffers:
 * a zip of {@code <name>/version}, {@code <name>/data.pkl} (the pickled module object: its class
 * and {@code training = False}), {@code <name>/constants.pkl} (an empty tuple) and {@code
 * <name>/code/__torch__.py}, the class's TorchScript source, which {@code torch::jit::load}
 * compiles. Weights are not stored: the caller passes them to {@code forward} as arguments (a
 * {@code List[Tensor]}), so the same archive serves any trained copy of an architecture.
 */
public final class TorchScriptArchive {
  /** File-format version 3: the oldest that libtorch 2.x still loads without operator upgraders. */
  static final String VERSION = "3\n";

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private TorchScriptArchive() {}

  /**
   * The archive of a parameterless module of class {@code __torch__.<className>}.
   *
   * @param methods the class's methods in TorchScript source, each line indented by two spaces
   *     (e.g. {@code " def forward(self: __torch__.Net, x: Tensor) -> Tensor:\n return x\n"})
   * @throws IllegalArgumentException if {@code className} is not a Python identifier
   */
  public static byte[] module(String className, String methods) {
    if (!IDENTIFIER.matcher(className).matches()) {
      throw new IllegalArgumentException("class name must be an identifier: '" + className + "'");
    }
    String code =
        "class "
            + className
            + "(Module):\n"
            + "  __parameters__ = []\n"
            + "  __buffers__ = []\n"
            + "  training : bool\n"
            + methods;
    String dir = className.toLowerCase(java.util.Locale.ROOT) + "/";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      stored(zip, dir + "data.pkl", modulePickle(className));
      stored(zip, dir + "code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
      stored(zip, dir + "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
      stored(zip, dir + "version", VERSION.getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  /**
   * Compiles and loads an archive into {@code manager}'s device. Close the block when done.
   *
   * @throws ai.djl.engine.EngineException if libtorch rejects the archive (the message carries
   *     TorchScript's compiler error with the offending source line)
   */
  public static PtSymbolBlock load(NDManager manager, byte[] archive) {
    Engine.getEngine("PyTorch");
    try {
      return JniUtils.loadModule(
          (PtNDManager) manager, new ByteArrayInputStream(archive), true, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs {@code module.forward(inputs)} in the calling thread's grad mode, so that under a gradient
   * collector the result has a graph back to every input. DJL 0.36's public {@link
   * PtSymbolBlock#forward(IValue...)} always passes "not training" to its native call, which runs
   * the module under an inference guard (no graph): this reaches the same native call with
   * "training" through reflection on DJL's package-private binding.
   *
   * @param recordGraph false to run as DJL's own forward does (inference guard)
   */
  public static IValue forward(PtSymbolBlock module, boolean recordGraph, IValue... inputs) {
    if (!recordGraph) {
      return module.forward(inputs);
    }
    long[] handles = new long[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      handles[i] = inputs[i].getHandle();
    }
    try {
      long out =
          (long)
              RunMethod.CALL.invoke(
                  RunMethod.LIB,
                  module.getHandle(),
                  "forward",
                  handles,
                  true,
                  RunMethod.CUDA_STREAM);
      return RunMethod.IVALUE.newInstance(out);
    } catch (ReflectiveOperationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof RuntimeException r) {
        throw r; // libtorch's own error (EngineException)
      }
      throw new IllegalStateException("DJL's module call is not reachable: " + cause, cause);
    }
  }

  /** DJL's package-private native binding of a module method call, reached once. */
  private static final class RunMethod {
    static final Object LIB;
    static final java.lang.reflect.Method CALL;
    static final java.lang.reflect.Constructor<IValue> IVALUE;
    static final boolean CUDA_STREAM;

    static {
      try {
        Class<?> lib = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
        java.lang.reflect.Field f = lib.getDeclaredField("LIB");
        f.setAccessible(true);
        LIB = f.get(null);
        CALL =
            lib.getDeclaredMethod(
                "moduleRunMethod",
                long.class,
                String.class,
                long[].class,
                boolean.class,
                boolean.class);
        CALL.setAccessible(true);
        IVALUE = IValue.class.getDeclaredConstructor(long.class);
        IVALUE.setAccessible(true);
        java.lang.reflect.Field cuda =
            Class.forName("ai.djl.pytorch.jni.IValueUtils").getDeclaredField("CUDA_STREAM");
        cuda.setAccessible(true);
        CUDA_STREAM = cuda.getBoolean(null);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  /**
   * Pickle protocol 2 of {@code __torch__.<className>} with state {@code {"training": False}}:
   * {@code PROTO 2, GLOBAL, EMPTY_TUPLE, NEWOBJ, EMPTY_DICT, BINUNICODE, NEWFALSE, SETITEM, BUILD,
   * STOP}.
   */
  static byte[] modulePickle(String className) {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.write(0x80);
    p.write(2);
    p.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII));
    p.write(')');
    p.write(0x81);
    p.write('}');
    byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
    p.write('X');
    p.write(key.length); // 4-byte little-endian length
    p.write(0);
    p.write(0);
    p.write(0);
    p.writeBytes(key);
    p.write(0x89);
    p.write('s');
    p.write('b');
    p.write('.');
    return p.toByteArray();
  }

  private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    e.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    e.setTime(315532800000L); // 1980-01-01: the archive's bytes depend on its content only
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }
}
