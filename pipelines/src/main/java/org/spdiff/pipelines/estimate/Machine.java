package org.spdiff.pipelines.estimate;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.spdiff.core.engine.MallocSettings;
import org.spdiff.core.model.UNet;

/**
 * The machine a calibration holds for: host name, CPU model, cores, the libtorch threads each
 * worker uses, the malloc settings libtorch runs under (they changed batch-256 sampling speed 2-3x:
 * {@link MallocSettings}) and how the UNet's forward pass runs ({@link UNet#FORWARD_PROPERTY}: the
 * TorchScript program trains 15-25% faster than the DJL blocks). A calibration measured with
 * another of these is not reused.
 *
 * @param malloc the malloc environment, {@link MallocSettings#describe}
 * @param forward the UNet forward ({@code torchscript} or {@code djl})
 */
public record Machine(
    String host, String cpu, int cores, int threads, String malloc, String forward) {

  /** This JVM's machine, with the threads {@code ai.djl.pytorch.num_threads} gives libtorch. */
  public static Machine current() {
    int cores = Runtime.getRuntime().availableProcessors();
    int threads = Integer.getInteger("ai.djl.pytorch.num_threads", cores);
    return new Machine(
        hostName(),
        cpuModel(),
        cores,
        threads,
        MallocSettings.describe(System.getenv()),
        System.getProperty(UNet.FORWARD_PROPERTY, "torchscript"));
  }

  /** {@code host | cpu | N cores | T threads | malloc ... | unet F}. */
  public String id() {
    return String.format(
        Locale.ROOT,
        "%s | %s | %d cores | %d threads | malloc %s | unet %s",
        host,
        cpu,
        cores,
        threads,
        malloc,
        forward);
  }

  /** A file-name-safe digest of {@link #id()}. */
  public String fileName() {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(id().getBytes(StandardCharsets.UTF_8));
      return "calibration-" + HexFormat.of().formatHex(d, 0, 8) + ".json";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The 1-minute load average ({@code /proc/loadavg}), NaN where unknown. */
  public static double loadAverage() {
    try {
      String s = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).trim();
      return Double.parseDouble(s.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: fall through.
    }
    return System.getProperty("os.arch", "unknown-cpu");
  }
}
