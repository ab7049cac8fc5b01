package org.spdiff.pipelines.estimate;

import java.lang.management.ManagementFactory;

/**
 * How the calibration times its work. On an idle machine: wall time. On a busy one (load average
 * above the cores when the calibration starts), wall time measures the other work as much as ours
 * (libtorch's OpenMP threads wait for each other whenever one is descheduled), so the process's CPU
 * time divided by its libtorch threads stands in for the wall time the work would take alone. That
 * is exact for work that keeps every thread busy and low for serial parts; the estimate says which
 * clock was used.
 */
final class CalibrationClock {
  private final boolean cpu;
  private final int threads;
  private final double load;

  CalibrationClock(boolean cpu, int threads, double load) {
    this.cpu = cpu;
    this.threads = Math.max(1, threads);
    this.load = load;
  }

  /** Wall time on an idle machine, CPU time per thread on a busy one. */
  static CalibrationClock forLoad(Machine m) {
    double load = Machine.loadAverage();
    return new CalibrationClock(load > m.cores() && processCpuNanos() >= 0, m.threads(), load);
  }

  boolean usesCpuTime() {
    return cpu;
  }

  double loadAtStart() {
    return load;
  }

  /** A point in time to measure from. */
  long mark() {
    return cpu ? processCpuNanos() : System.nanoTime();
  }

  /** Seconds since {@code mark} by this clock. */
  double since(long mark) {
    return cpu ? (processCpuNanos() - mark) / 1e9 / threads : (System.nanoTime() - mark) / 1e9;
  }

  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
