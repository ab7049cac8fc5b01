package org.spdiff.pipelines.report;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The teacher's in-training evaluation curve ({@code eval.csv}: {@code step,fid,kid,seconds}) and
 * the rule that says where it flattened.
 *
 * <p>Plateau rule: the curve has flattened at the first evaluated step {@code S} that has at least
 * {@link #WINDOW} later evaluations and none of them, up to the last, improves FID on {@code
 * FID(S)} by {@code tolerance} (relative) or more: {@code FID(later) > (1 - tolerance) FID(S)} for
 * every later evaluation. Without such a step the teacher is still improving. (An earlier rule
 * looked only at the next {@link #WINDOW} evaluations; on a 6,000-step curve whose FID fell 5.31 ->
 * 5.23 -> 5.17 and then on to 4.41 it called step 2,500 the plateau.)
 */
public record TeacherCurve(List<Point> points) implements Serializable {
  /** Evaluations after {@code S} that must not improve by more than the tolerance. */
  public static final int WINDOW = 2;

  /** The default relative tolerance of the plateau rule. */
  public static final double DEFAULT_TOLERANCE = 0.05;

  /** The CSV header. */
  public static final String HEADER = "step,fid,kid,seconds";

  /** One evaluation: FID and KID (not scaled) of the teacher at {@code step}. */
  public record Point(long step, double fid, double kid, double seconds) implements Serializable {
    /** The CSV row. */
    public String csv() {
      return String.format(Locale.ROOT, "%d,%.6f,%.8f,%.2f", step, fid, kid, seconds);
    }
  }

  public TeacherCurve {
    points = List.copyOf(points);
  }

  /** Parses {@code eval.csv} (rows whose first field is not a step are skipped). */
  public static TeacherCurve parseCsv(String csv) {
    List<Point> out = new ArrayList<>();
    for (String line : csv.split("\n")) {
      String[] p = line.trim().split(",");
      if (p.length < 4 || !p[0].matches("\\d+")) {
        continue;
      }
      out.add(
          new Point(
              Long.parseLong(p[0]),
              Double.parseDouble(p[1]),
              Double.parseDouble(p[2]),
              Double.parseDouble(p[3])));
    }
    return new TeacherCurve(out);
  }

  /** The curve as {@code eval.csv}. */
  public String csv() {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    points.forEach(p -> sb.append(p.csv()).append('\n'));
    return sb.toString();
  }

  /** The step where the curve flattened (see the class comment), if it did. */
  public OptionalLong plateau(double tolerance) {
    for (int i = 0; i + WINDOW < points.size(); i++) {
      double bar = (1 - tolerance) * points.get(i).fid();
      boolean flat = true;
      for (int j = i + 1; j < points.size(); j++) {
        if (points.get(j).fid() <= bar) {
          flat = false;
          break;
        }
      }
      if (flat) {
        return OptionalLong.of(points.get(i).step());
      }
    }
    return OptionalLong.empty();
  }

  /** {@code plateau reached at step S (...)} or {@code still improving (...)}. */
  public String verdict(double tolerance) {
    if (points.isEmpty()) {
      return "not evaluated";
    }
    OptionalLong s = plateau(tolerance);
    Point last = points.get(points.size() - 1);
    if (s.isPresent()) {
      return String.format(
          Locale.ROOT,
          "plateau reached at step %d (no later evaluation improved FID by %.0f%% or more;"
              + " FID %.3f at the last step, %d)",
          s.getAsLong(),
          100 * tolerance,
          last.fid(),
          last.step());
    }
    return String.format(
        Locale.ROOT,
        "still improving (every evaluation with %d or more after it was later bettered by %.0f%% or"
            + " more; FID %.3f at the last step, %d)",
        WINDOW,
        100 * tolerance,
        last.fid(),
        last.step());
  }
}
