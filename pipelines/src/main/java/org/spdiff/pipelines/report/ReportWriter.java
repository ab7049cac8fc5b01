package org.spdiff.pipelines.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Renders a study's report files from its cell scores. Pure: returns file name to bytes; the caller
 * writes them where it likes.
 */
public final class ReportWriter {
  private static final String[] COLORS = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"
  };

  private ReportWriter() {}

  /**
   * {@code table.csv} without its wall-time column ({@code train_seconds}): the part of the table
   * that a rerun anywhere (another runner, parallelism or machine with the same thread count)
   * reproduces to the last digit.
   */
  public static String withoutWallTimes(String csv) {
    List<String> lines = csv.lines().toList();
    int col = lines.isEmpty() ? -1 : List.of(lines.get(0).split(",", -1)).indexOf("train_seconds");
    if (col < 0) {
      throw new IllegalArgumentException("not a table.csv (no train_seconds column)");
    }
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
      cells.remove(col);
      out.append(String.join(",", cells)).append('\n');
    }
    return out.toString();
  }

  /**
   * The report of one study.
   *
   * @param title the experiment name
   * @param configJson the experiment as JSON (embedded for provenance)
   * @param rows one per cell, in plan order
   * @param curves training loss curves (teacher and variants)
   * @param grids PNG sample grids by cell label ({@code variant @ cfg g})
   */
  public static Map<String, byte[]> render(
      String title,
      String configJson,
      List<CellScore> rows,
      List<LossCurve> curves,
      Map<String, byte[]> grids) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    out.put("table.md", utf8(markdown(title, rows)));
    out.put("table.csv", utf8(csv(rows)));
    out.put("scores.json", utf8(json(title, rows)));
    out.put("report.html", utf8(html(title, configJson, rows, curves, grids)));
    return out;
  }

  static String markdown(String title, List<CellScore> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("# ").append(title).append("\n\n");
    sb.append(
        "| variant | objective | CFG | FID | IS | KID x1e3 | features | samples | steps | train"
            + " time |\n");
    sb.append("|---|---|---:|---:|---:|---:|---|---:|---:|---:|\n");
    for (CellScore r : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %s | %s | %s | %d | %d | %s |%n",
              r.variant(),
              r.objective(),
              num(r.cfgScale(), 1),
              pm(r.fid(), r.fidStd(), 2),
              pm(r.isMean(), r.isStd(), 2),
              pm(r.kid() * 1e3, r.kidStd() * 1e3, 2),
              r.featureNetwork(),
              r.samples(),
              r.trainSteps(),
              duration(r.trainSeconds())));
    }
    sb.append(
        "\nFID +- is the standard deviation over disjoint splits of the samples; IS +- the std over"
            + " splits; KID +- the std over subsets.\n");
    List<String> warnings =
        rows.stream()
            .flatMap(
                r ->
                    r.warnings().stream()
                        .map(w -> r.variant() + " @ cfg " + r.cfgScale() + ": " + w))
            .distinct()
            .toList();
    if (!warnings.isEmpty()) {
      sb.append("\nWarnings:\n");
      warnings.forEach(w -> sb.append("- ").append(w).append('\n'));
    }
    return sb.toString();
  }

  static String csv(List<CellScore> rows) {
    StringBuilder sb =
        new StringBuilder(
            "variant,objective,cfg_scale,fid,fid_std,is,is_std,kid,kid_std,features,samples,"
                + "train_steps,train_seconds,score_key\n");
    for (CellScore r : rows) {
      sb.append(
          String.join(
              ",",
              quote(r.variant()),
              r.objective(),
              Double.toString(r.cfgScale()),
              Double.toString(r.fid()),
              Double.toString(r.fidStd()),
              Double.toString(r.isMean()),
              Double.toString(r.isStd()),
              Double.toString(r.kid()),
              Double.toString(r.kidStd()),
              quote(r.featureNetwork()),
              Integer.toString(r.samples()),
              Integer.toString(r.trainSteps()),
              String.format(Locale.ROOT, "%.1f", r.trainSeconds()),
              r.scoreKey()));
      sb.append('\n');
    }
    return sb.toString();
  }

  static String json(String title, List<CellScore> rows) {
    try {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("experiment", title);
      m.put("rows", rows);
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m)
          + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String html(
      String title,
      String configJson,
      List<CellScore> rows,
      List<LossCurve> curves,
      Map<String, byte[]> grids) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
        .append(esc(title))
        .append(" - spdiff report</title><style>")
        .append(
            "body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
                + "td:first-child,th:first-child{text-align:left}"
                + ".grids{display:flex;flex-wrap:wrap;gap:16px}.grids figure{margin:0}"
                + ".grids img{image-rendering:pixelated;width:224px}pre{background:#f6f6f6;"
                + "padding:1em;overflow:auto;font-size:12px}")
        .append("</style></head><body>");
    sb.append("<h1>").append(esc(title)).append("</h1>");
    sb.append("<h2>Scores</h2><table><tr><th>variant</th><th>objective</th><th>CFG</th>")
        .append("<th>FID</th><th>IS</th><th>KID x1e3</th><th>features</th><th>samples</th>")
        .append("<th>steps</th><th>train time</th></tr>");
    for (CellScore r : rows) {
      sb.append("<tr><td>")
          .append(esc(r.variant()))
          .append("</td><td>")
          .append(esc(r.objective()))
          .append("</td><td>")
          .append(num(r.cfgScale(), 1))
          .append("</td><td>")
          .append(pm(r.fid(), r.fidStd(), 2))
          .append("</td><td>")
          .append(pm(r.isMean(), r.isStd(), 2))
          .append("</td><td>")
          .append(pm(r.kid() * 1e3, r.kidStd() * 1e3, 2))
          .append("</td><td>")
          .append(esc(r.featureNetwork()))
          .append("</td><td>")
          .append(r.samples())
          .append("</td><td>")
          .append(r.trainSteps())
          .append("</td><td>")
          .append(duration(r.trainSeconds()))
          .append("</td></tr>");
    }
    sb.append("</table>");
    sb.append("<h2>FID against CFG scale</h2>").append(fidPlot(rows));
    if (!curves.isEmpty()) {
      sb.append("<h2>Training loss</h2>").append(lossPlot(curves));
    }
    sb.append("<h2>Samples (fixed seeds)</h2><div class=\"grids\">");
    for (Map.Entry<String, byte[]> g : new TreeMap<>(grids).entrySet()) {
      sb.append("<figure><img alt=\"")
          .append(esc(g.getKey()))
          .append("\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(g.getValue()))
          .append("\"><figcaption>")
          .append(esc(g.getKey()))
          .append("</figcaption></figure>");
    }
    sb.append("</div><h2>Experiment</h2><pre>").append(esc(configJson)).append("</pre>");
    sb.append("</body></html>\n");
    return sb.toString();
  }

  /** FID (y) against CFG scale (x), one polyline per variant. */
  static String fidPlot(List<CellScore> rows) {
    Map<String, List<CellScore>> byVariant =
        rows.stream()
            .filter(r -> Double.isFinite(r.fid()))
            .collect(
                Collectors.groupingBy(CellScore::variant, LinkedHashMap::new, Collectors.toList()));
    List<double[][]> series = new ArrayList<>();
    for (List<CellScore> s : byVariant.values()) {
      List<CellScore> sorted = new ArrayList<>(s);
      sorted.sort(Comparator.comparingDouble(CellScore::cfgScale));
      double[][] pts = new double[sorted.size()][];
      for (int i = 0; i < sorted.size(); i++) {
        pts[i] = new double[] {sorted.get(i).cfgScale(), sorted.get(i).fid()};
      }
      series.add(pts);
    }
    return svgPlot(new ArrayList<>(byVariant.keySet()), series, "CFG scale", "FID");
  }

  static String lossPlot(List<LossCurve> curves) {
    List<double[][]> series = new ArrayList<>();
    for (LossCurve c : curves) {
      double[][] pts = new double[c.steps().size()][];
      for (int i = 0; i < pts.length; i++) {
        pts[i] = new double[] {c.steps().get(i), c.losses().get(i)};
      }
      series.add(pts);
    }
    return svgPlot(curves.stream().map(LossCurve::name).toList(), series, "step", "loss");
  }

  /** A minimal line plot with axes, ticks at the extremes and a legend. */
  static String svgPlot(List<String> names, List<double[][]> series, String xLabel, String yLabel) {
    double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
    for (double[][] s : series) {
      for (double[] p : s) {
        if (!Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
          continue;
        }
        x0 = Math.min(x0, p[0]);
        x1 = Math.max(x1, p[0]);
        y0 = Math.min(y0, p[1]);
        y1 = Math.max(y1, p[1]);
      }
    }
    if (!Double.isFinite(x0)) {
      return "<p>(no data)</p>";
    }
    if (x1 == x0) {
      x1 = x0 + 1;
    }
    if (y1 == y0) {
      y1 = y0 + 1;
    }
    int w = 640, h = 320, l = 70, r = 190, t = 20, b = 45;
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-size=\"12\">",
            w,
            h));
    sb.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>",
            l,
            t,
            w - l - r,
            h - t - b));
    sb.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
            l + (w - l - r) / 2,
            h - 8,
            esc(xLabel)));
    sb.append(
        String.format(
            Locale.ROOT,
            "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s</text>",
            t + (h - t - b) / 2,
            t + (h - t - b) / 2,
            esc(yLabel)));
    sb.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
            l,
            h - b + 15,
            tick(x0)));
    sb.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
            w - r,
            h - b + 15,
            tick(x1)));
    sb.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
            l - 4,
            h - b,
            tick(y0)));
    sb.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
            l - 4,
            t + 10,
            tick(y1)));
    for (int i = 0; i < series.size(); i++) {
      String color = COLORS[i % COLORS.length];
      StringBuilder pts = new StringBuilder();
      for (double[] p : series.get(i)) {
        if (!Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
          continue;
        }
        double px = l + (p[0] - x0) / (x1 - x0) * (w - l - r);
        double py = h - b - (p[1] - y0) / (y1 - y0) * (h - t - b);
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
        if (series.get(i).length <= 20) {
          sb.append(
              String.format(
                  Locale.ROOT,
                  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>",
                  px,
                  py,
                  color));
        }
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>",
              color,
              pts.toString().trim()));
      sb.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>",
              w - r + 10,
              t + 5 + 16 * i,
              color,
              w - r + 26,
              t + 14 + 16 * i,
              esc(names.get(i))));
    }
    sb.append("</svg>");
    return sb.toString();
  }

  private static String tick(double v) {
    return Math.abs(v) >= 1000 || v == Math.rint(v)
        ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%.3g", v);
  }

  static String pm(double v, double sd, int digits) {
    if (!Double.isFinite(v)) {
      return "-";
    }
    String s = num(v, digits);
    return Double.isFinite(sd) ? s + " +- " + num(sd, digits) : s;
  }

  static String num(double v, int digits) {
    return String.format(Locale.ROOT, "%." + digits + "f", v);
  }

  static String duration(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "-";
    }
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
        : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }

  private static String quote(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
