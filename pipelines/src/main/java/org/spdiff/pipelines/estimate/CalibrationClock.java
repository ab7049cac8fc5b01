package org.spdiff.pipelines.estimate;

/**
 * How the calibration times its work: the wall clock, with the load average when it started (a
 * calibration on a busy machine measures the other work too and says so).
 *
 * <p>Process CPU time was tried as a stand-in on busy machines and rejected: it counts the JIT
 * compiler's and the collector's threads and libtorch's spinning OpenMP threads, and overstated a
 * tiny training step 16 times (2.8 s against 0.175 s in the run that followed, load 10 on 2 cores).
 */
final class CalibrationClock {
  private final double load;

  CalibrationClock(double load) {
    this.load = load;
  }

  static CalibrationClock forLoad(Machine m) {
    return new CalibrationClock(Machine.loadAverage());
  }

  double loadAtStart() {
    return load;
  }

  /** A point in time to measure from. */
  long mark() {
    return System.nanoTime();
  }

  /** Seconds since {@code mark}. */
  double since(long mark) {
    return (System.nanoTime() - mark) / 1e9;
  }
}
