package org.spdiff.pipelines.dag;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-stage progress lines: {@code [teacher] step 120/600 (20%) 1.9/s ETA 4m12s loss 0.1234}.
 * Printed at most every {@code intervalSeconds} and at the end, from the worker doing the work (the
 * embedded runner's console, the Flink TaskManager log, Cloud Logging on Dataflow).
 */
public final class Progress {
  private static final Logger LOG = LoggerFactory.getLogger("org.spdiff.progress");

  private final String label;
  private final String unit;
  private final long total;
  private final long startNanos = System.nanoTime();
  private final double intervalSeconds;
  private long lastPrintNanos;
  private final long startDone;

  /**
   * @param label stage and item, e.g. {@code teacher} or {@code generate sp @ cfg 2.0}
   * @param unit what is counted ({@code step}, {@code images})
   * @param startDone work already done when this run started (resumed steps)
   */
  public Progress(String label, String unit, long total, long startDone, double intervalSeconds) {
    this.label = label;
    this.unit = unit;
    this.total = total;
    this.startDone = startDone;
    this.intervalSeconds = intervalSeconds;
    this.lastPrintNanos = startNanos;
  }

  public static Progress of(String label, String unit, long total, long startDone) {
    return new Progress(label, unit, total, startDone, 10);
  }

  /** Reports {@code done} units; {@code extra} (e.g. {@code loss 0.12}) is appended. */
  public void update(long done, String extra) {
    long now = System.nanoTime();
    if (done < total && (now - lastPrintNanos) / 1e9 < intervalSeconds) {
      return;
    }
    lastPrintNanos = now;
    LOG.info(line(done, (now - startNanos) / 1e9, extra));
  }

  /** Says something once, e.g. that a stage was found complete. */
  public static void note(String label, String message) {
    LOG.info("[{}] {}", label, message);
  }

  String line(long done, double elapsed, String extra) {
    double rate = elapsed > 0 ? (done - startDone) / elapsed : 0;
    String eta = rate > 0 && done < total ? " ETA " + duration((total - done) / rate) : "";
    return String.format(
        Locale.ROOT,
        "[%s] %s %d/%d (%d%%) %.2f/s%s%s",
        label,
        unit,
        done,
        total,
        total == 0 ? 100 : Math.round(100.0 * done / total),
        rate,
        eta,
        extra == null || extra.isEmpty() ? "" : " " + extra);
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
        : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }
}
