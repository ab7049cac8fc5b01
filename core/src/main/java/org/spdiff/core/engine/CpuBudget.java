package org.spdiff.core.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * The cores this process can really use, and libtorch's intra-op thread count for each of the
 * concurrent workers of one JVM.
 *
 * <p>Cores: the smallest of {@link Runtime#availableProcessors()} (CPU affinity; the JVM's own
 * container view), the cgroup CPU quota ({@code cpu.max} of cgroup v2, {@code cpu.cfs_quota_us /
 * cpu.cfs_period_us} of v1, rounded up), and the cores left idle by other processes, sampled from
 * {@code /proc/stat} over a short window (rounded to the nearest core, at least one). OpenMP
 * threads that must share a core with another busy process wait on each other at every parallel
 * region: on two cores with one held by another process, the tiny teacher trained about ten times
 * slower with two threads than with one (STACK.md, issue 12), so a busy core is not counted.
 *
 * <p>Threads per worker: those cores divided by the workers that run networks at the same time in
 * the JVM (slots of a TaskManager, parallelism of the embedded runner), at least one.
 *
 * <p>Reproducibility: libtorch's reductions split by thread count, so a result's last bits can
 * depend on it. The chosen count is printed by the commands that choose it; {@code SPDIFF_THREADS}
 * ({@code -Dai.djl.pytorch.num_threads}) fixes it for bitwise-equal reruns.
 */
public final class CpuBudget {
  private CpuBudget() {}

  /** Milliseconds over which {@link #idleCores} samples {@code /proc/stat}. */
  static final long SAMPLE_MS = 300;

  /** The intra-op thread count for each of {@code workers} concurrent workers of this JVM. */
  public static int threadsPerWorker(int workers) {
    return threadsPerWorker(usableCores(), workers);
  }

  /** {@code cores / workers}, at least one. */
  public static int threadsPerWorker(int cores, int workers) {
    return Math.max(1, cores / Math.max(1, workers));
  }

  /** Cores this process can use now: affinity, cgroup quota and other processes' load. */
  public static int usableCores() {
    int cores = Math.min(Runtime.getRuntime().availableProcessors(), quotaCores().orElse(1 << 20));
    OptionalInt idle = idleCores(SAMPLE_MS);
    if (idle.isPresent()) {
      cores = Math.min(cores, idle.getAsInt());
    }
    return Math.max(1, cores);
  }

  /** The cgroup CPU quota of this process in whole cores (rounded up), if one is set. */
  public static OptionalInt quotaCores() {
    try {
      Path v2 = Path.of("/sys/fs/cgroup/cpu.max");
      if (Files.isReadable(v2)) {
        return parseCpuMax(Files.readString(v2));
      }
      Path quota = Path.of("/sys/fs/cgroup/cpu/cpu.cfs_quota_us");
      Path period = Path.of("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
      if (Files.isReadable(quota) && Files.isReadable(period)) {
        return quota(
            Long.parseLong(Files.readString(quota).trim()),
            Long.parseLong(Files.readString(period).trim()));
      }
    } catch (IOException | RuntimeException e) {
      // no readable cgroup limit: none
    }
    return OptionalInt.empty();
  }

  /** {@code cpu.max} of cgroup v2: {@code "max 100000"} (no limit) or {@code "QUOTA PERIOD"}. */
  static OptionalInt parseCpuMax(String cpuMax) {
    String[] f = cpuMax.trim().split("\\s+");
    if (f.length < 1 || f[0].equals("max")) {
      return OptionalInt.empty();
    }
    long period = f.length > 1 ? Long.parseLong(f[1]) : 100_000;
    return quota(Long.parseLong(f[0]), period);
  }

  private static OptionalInt quota(long quota, long period) {
    if (quota <= 0 || period <= 0) {
      return OptionalInt.empty();
    }
    return OptionalInt.of((int) Math.max(1, (quota + period - 1) / period));
  }

  /**
   * Cores not used by other processes over the next {@code ms} milliseconds: the machine's idle
   * time from {@code /proc/stat} plus this process's own CPU time ({@code /proc/self/stat}), in
   * cores, rounded to the nearest; empty where {@code /proc} is not readable.
   */
  public static OptionalInt idleCores(long ms) {
    try {
      long[] a = machineTicks();
      long selfA = selfTicks();
      Thread.sleep(ms);
      long[] b = machineTicks();
      long selfB = selfTicks();
      return OptionalInt.of(
          idleCores(
              b[0] - a[0],
              b[1] - a[1],
              selfB - selfA,
              Runtime.getRuntime().availableProcessors(),
              cpuCount()));
    } catch (IOException | RuntimeException e) {
      return OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.empty();
    }
  }

  /**
   * @param totalTicks all CPU ticks of the machine in the window (every core)
   * @param idleTicks idle + iowait ticks of the machine in the window
   * @param selfTicks this process's user + system ticks in the window
   * @param cores cores this process may run on
   * @param machineCores cores {@code /proc/stat} counts
   */
  static int idleCores(
      long totalTicks, long idleTicks, long selfTicks, int cores, int machineCores) {
    if (totalTicks <= 0 || machineCores <= 0) {
      return cores;
    }
    double perCore = (double) totalTicks / machineCores;
    double busyOthers = Math.max(0, (totalTicks - idleTicks - selfTicks) / perCore);
    return (int) Math.max(1, Math.min(cores, Math.round(machineCores - busyOthers)));
  }

  /** {total, idle + iowait} ticks of the machine's aggregate {@code cpu} line. */
  private static long[] machineTicks() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
    String[] f = lines.get(0).trim().split("\\s+");
    if (!f[0].equals("cpu")) {
      throw new IOException("unexpected /proc/stat");
    }
    long total = 0;
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
    return new long[] {total, idle};
  }

  private static int cpuCount() throws IOException {
    int n = 0;
    for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
      if (line.startsWith("cpu") && line.length() > 3 && Character.isDigit(line.charAt(3))) {
        n++;
      }
    }
    return n;
  }

  /** utime + stime of this process, in clock ticks. */
  private static long selfTicks() throws IOException {
    String s = Files.readString(Path.of("/proc/self/stat"));
    // fields after the command name (which may contain spaces) start after the last ')'
    String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split("\\s+");
    // f[0] is field 3 (state); utime is field 14, stime field 15
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }
}
