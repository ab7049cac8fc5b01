package org.spdiff.pipelines.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.spdiff.metrics.compare.Difference;

/**
 * Renders a study's report files from its cell scores. Pure: returns file name to bytes; the caller
 * writes them where it likes.
 */
public final class ReportWriter {
  private static final String[] COLORS = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"
  };

  private ReportWriter() {}

  /** The wall-time columns of {@code table.csv}. */
  static final List<String> WALL_TIME_COLUMNS = List.of("train_seconds", "images_per_second");

  /**
   * {@code table.csv} without its wall-time columns ({@code train_seconds}, {@code
   * images_per_second}): the part of the table that a rerun anywhere (another runner, parallelism
   * or machine with the same thread count) reproduces to the last digit.
   */
  public static String withoutWallTimes(String csv) {
    List<String> lines = csv.lines().toList();
    List<String> header = lines.isEmpty() ? List.of() : List.of(lines.get(0).split(",", -1));
    if (!header.contains("train_seconds")) {
      throw new IllegalArgumentException("not a table.csv (no train_seconds column)");
    }
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      List<String> cells = List.of(line.split(",", -1));
      List<String> kept = new ArrayList<>();
      for (int i = 0; i < cells.size(); i++) {
        if (i >= header.size() || !WALL_TIME_COLUMNS.contains(header.get(i))) {
          kept.add(cells.get(i));
        }
      }
      out.append(String.join(",", kept)).append('\n');
    }
    return out.toString();
  }

  /**
   * The report of one study.
   *
   * @param title the experiment name
   * @param configJson the experiment as JSON (embedded for provenance)
   * @param control the control arm's name
   * @param rows one per variant x sampling setting x CFG scale, in plan order
   * @param comparisons every non-control row against the control, verdicts decided
   * @param curves training loss curves (teacher and variants)
   * @param grids PNG sample grids by cell label
   */
  public static Map<String, byte[]> render(
      String title,
      String configJson,
      String control,
      List<RowScore> rows,
      List<ArmComparison> comparisons,
      List<LossCurve> curves,
      Map<String, byte[]> grids) {
    return render(title, configJson, control, rows, comparisons, curves, grids, null);
  }

  /**
   * The same, with the teacher's in-training evaluation ({@code null}: not evaluated), shown after
   * the tables and, in {@code report.html}, as a plot.
   */
  public static Map<String, byte[]> render(
      String title,
      String configJson,
      String control,
      List<RowScore> rows,
      List<ArmComparison> comparisons,
      List<LossCurve> curves,
      Map<String, byte[]> grids,
      TeacherCurve teacher) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    String md = markdown(title, control, rows, comparisons);
    String html = html(title, configJson, control, rows, comparisons, curves, grids);
    if (teacher != null && !teacher.points().isEmpty()) {
      md += teacherMarkdown(teacher);
      html = html.replace("</body>", teacherHtml(teacher) + "</body>");
    }
    out.put("table.md", utf8(md));
    out.put("table.csv", utf8(csv(rows, comparisons)));
    out.put("scores.json", utf8(json(title, control, rows, comparisons)));
    out.put("report.html", utf8(html));
    return out;
  }

  /** The teacher's evaluation curve as a markdown section. */
  static String teacherMarkdown(TeacherCurve c) {
    StringBuilder sb = new StringBuilder("\n## Teacher evaluation during training\n\n");
    sb.append(c.verdict(TeacherCurve.DEFAULT_TOLERANCE)).append(".\n\n");
    sb.append("| step | FID | KID x1e3 | seconds |\n|---:|---:|---:|---:|\n");
    for (TeacherCurve.Point p : c.points()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %d | %.3f | %.2f | %.1f |%n",
              p.step(),
              p.fid(),
              p.kid() * 1e3,
              p.seconds()));
    }
    return sb.toString();
  }

  /** The teacher's evaluation curve as an HTML section with its FID plot. */
  static String teacherHtml(TeacherCurve c) {
    double[][] pts = new double[c.points().size()][];
    for (int i = 0; i < pts.length; i++) {
      pts[i] = new double[] {c.points().get(i).step(), c.points().get(i).fid()};
    }
    return "<h2>Teacher evaluation during training</h2><p>"
        + esc(c.verdict(TeacherCurve.DEFAULT_TOLERANCE))
        + "</p>"
        + svgPlot(List.of("teacher FID"), List.<double[][]>of(pts), "step", "FID", false);
  }

  /** The comparison whose variant side is {@code row}, or null (the control's rows). */
  static ArmComparison comparisonOf(RowScore row, List<ArmComparison> comparisons) {
    return comparisons.stream()
        .filter(c -> c.rowLabel().equals(row.label()))
        .findFirst()
        .orElse(null);
  }

  static final String LEGEND =
      "Each row is a variant sampled with one setting at one CFG scale, averaged over its training"
          + " replicates (reps). `+-` is the standard deviation across replicates (retraining: the"
          + " training-seed lottery plus sampling noise); with one replicate it is not measured (-)."
          + " `FID split sd` is the mean over replicates of FID's std over disjoint splits of one"
          + " model's samples (sampling noise only). dFID is the variant minus the control at the"
          + " same setting and CFG scale, on paired samples (sample i has the same noise and class"
          + " in every cell), with its interval; the verdict is on FID, Holm-corrected over the"
          + " variants compared with the control at the same setting and CFG scale (one family"
          + " per setting and scale, at a family-wise 5%).";

  static String markdown(
      String title, String control, List<RowScore> rows, List<ArmComparison> comparisons) {
    StringBuilder sb = new StringBuilder();
    sb.append("# ").append(title).append("\n\n");
    sb.append(
        "| variant | objective | sampler | CFG | reps | FID | FID split sd | IS | KID x1e3 |"
            + " precision | recall | density | coverage | FID inf | dFID vs "
            + control
            + " | verdict | train time |\n");
    sb.append(
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|\n");
    for (RowScore r : rows) {
      ArmComparison c = comparisonOf(r, comparisons);
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s"
                  + " |%n",
              r.variant(),
              r.objective(),
              r.setting(),
              num(r.cfgScale(), 1),
              r.replicates(),
              pm(r.fid(), 1, 2),
              num(r.fidSplitStd(), 2),
              pm(r.is(), 1, 2),
              pm(r.kid(), 1e3, 2),
              pm(r.precision(), 1, 3),
              pm(r.recall(), 1, 3),
              pm(r.density(), 1, 3),
              pm(r.coverage(), 1, 3),
              pm(r.fidInfinity(), 1, 2),
              c == null ? "(control)" : interval(c.difference("FID"), 1, 2),
              c == null ? "" : c.verdict(),
              duration(r.trainSeconds())));
    }
    sb.append("\n").append(LEGEND).append("\n");
    if (!comparisons.isEmpty()) {
      sb.append("\n## Differences against the control (").append(control).append(")\n\n");
      sb.append(
          "| variant | sampler | CFG | pairs | dFID | dIS | dKID x1e3 | dprecision | drecall |"
              + " verdict | Holm p |\n");
      sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
      for (ArmComparison c : comparisons) {
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %d | %s | %s | %s | %s | %s | %s | %s |%n",
                c.variant(),
                c.setting(),
                num(c.cfgScale(), 1),
                c.pairs(),
                interval(c.difference("FID"), 1, 2),
                interval(c.difference("IS"), 1, 2),
                interval(c.difference("KID"), 1e3, 2),
                interval(c.difference("precision"), 1, 3),
                interval(c.difference("recall"), 1, 3),
                c.verdict(),
                Double.isFinite(c.adjustedP())
                    ? String.format(Locale.ROOT, "%.3g", c.adjustedP())
                    : "-"));
      }
      sb.append("\n");
      comparisons.stream()
          .map(ArmComparison::method)
          .filter(m -> m != null && !m.isEmpty())
          .distinct()
          .forEach(m -> sb.append("Intervals: ").append(m).append("\n"));
      Set<String> notes = new LinkedHashSet<>();
      for (ArmComparison c : comparisons) {
        if (!c.cardDifferences().isEmpty()) {
          sb.append("- not compared, ")
              .append(c.variant())
              .append(" @ ")
              .append(c.setting())
              .append(" cfg ")
              .append(num(c.cfgScale(), 1))
              .append(": the evaluation cards differ in ")
              .append(String.join("; ", c.cardDifferences()))
              .append("\n");
        } else if (c.note() != null && !c.note().isEmpty()) {
          notes.add("- " + c.variant() + ": " + c.note() + "\n");
        }
      }
      notes.forEach(sb::append);
    }
    sb.append("\n## ")
        .append(sweepsEvaluations(rows) ? "FID against network evaluations" : "Sampling cost")
        .append("\n\n")
        .append(costMarkdown(rows));
    String perClass = perClassMarkdown(rows);
    if (!perClass.isEmpty()) {
      sb.append("\n## FID per class (mean over replicates)\n\n").append(perClass);
    }
    List<String> warnings =
        rows.stream()
            .flatMap(r -> r.warnings().stream().map(w -> r.label() + ": " + w))
            .distinct()
            .toList();
    if (!warnings.isEmpty()) {
      sb.append("\nWarnings:\n");
      warnings.forEach(w -> sb.append("- ").append(w).append('\n'));
    }
    return sb.toString();
  }

  static final String COST_LEGEND =
      "NFE: network evaluations per image (the solver's denoiser evaluations, times 2 with CFG)."
          + " images/s: generation throughput of one worker (a cell's samples over the summed wall"
          + " time of its shards), mean over replicates; a wall-time figure of the machine it ran"
          + " on.";

  /** Whether the rows differ in their number of network evaluations (a sampler/steps sweep). */
  static boolean sweepsEvaluations(List<RowScore> rows) {
    return rows.stream().map(RowScore::evaluations).distinct().count() > 1;
  }

  /**
   * One line per row, ordered by variant, CFG scale, sampler family (sampler, spacing, precision)
   * and NFE: FID, its spreads, NFE and images/s; in a sweep over evaluations also the paired dFID
   * against the variant's reference setting and the speed ratio, then which setting is the cheapest
   * not detectably worse than the reference ({@link SettingComparison}).
   */
  static String costMarkdown(List<RowScore> rows) {
    List<SettingComparison> settings = SettingComparison.of(rows);
    List<String> header = costHeader(!settings.isEmpty());
    StringBuilder sb = new StringBuilder("| " + String.join(" | ", header) + " |\n|---|---:|---|");
    sb.append("---:|".repeat(header.size() - 3)).append('\n');
    for (RowScore r : byEvaluations(rows)) {
      sb.append("| ").append(String.join(" | ", costCells(r, settings))).append(" |\n");
    }
    sb.append('\n').append(COST_LEGEND).append('\n');
    List<String> fewest = fewestEvaluationsLines(settings);
    if (!fewest.isEmpty()) {
      sb.append('\n').append(REFERENCE_LEGEND).append("\n\n");
      fewest.forEach(line -> sb.append("- ").append(line).append('\n'));
    }
    List<SettingComparison> twins = SettingComparison.precisionTwins(rows);
    if (!twins.isEmpty()) {
      sb.append("\n| ")
          .append(String.join(" | ", PRECISION_HEADER))
          .append(" |\n")
          .append("|---|---:|---|---|---|---:|\n");
      for (SettingComparison c : twins) {
        sb.append("| ").append(String.join(" | ", precisionCells(c))).append(" |\n");
      }
      sb.append('\n').append(PRECISION_LEGEND).append('\n');
    }
    return sb.toString();
  }

  static final List<String> PRECISION_HEADER =
      List.of("variant", "CFG", "setting", "float32 twin", "dFID vs float32", "speed");

  static final String PRECISION_LEGEND =
      "dFID vs float32: FID of the reduced-precision row minus FID of the same variant, CFG scale"
          + " and sampler in float32, on the same trained models and the same per-sample noise,"
          + " with its 95% t-interval (jackknife over paired folds plus the variance across"
          + " replicates). speed: images/s over the float32 row's.";

  static List<String> precisionCells(SettingComparison c) {
    return List.of(
        c.variant(),
        num(c.cfgScale(), 1),
        c.setting(),
        c.reference(),
        interval(c.fid(), 1, 2),
        Double.isFinite(c.speedup()) ? num(c.speedup(), 2) + "x" : "-");
  }

  static final String REFERENCE_LEGEND =
      "dFID vs reference: FID of the row minus FID of the same variant's setting with the most"
          + " network evaluations (the reference) at the same CFG scale, on the same trained models"
          + " and the same per-sample noise, with its 95% t-interval (jackknife over paired folds"
          + " plus the variance across replicates). speed: images/s over the reference's. A"
          + " setting is not detectably worse than the reference when the interval's lower end is"
          + " at most 0.";

  static List<String> costHeader(boolean againstReference) {
    List<String> h =
        new ArrayList<>(
            List.of("variant", "CFG", "sampler", "NFE", "FID", "FID split sd", "images/s"));
    if (againstReference) {
      h.addAll(List.of("dFID vs reference", "speed"));
    }
    return h;
  }

  static List<String> costCells(RowScore r, List<SettingComparison> settings) {
    List<String> cells =
        new ArrayList<>(
            List.of(
                r.variant(),
                num(r.cfgScale(), 1),
                r.setting(),
                Integer.toString(r.evaluations()),
                pm(r.fid(), 1, 2),
                num(r.fidSplitStd(), 2),
                num(r.imagesPerSecond(), 2)));
    if (!settings.isEmpty()) {
      Optional<SettingComparison> c = SettingComparison.find(settings, r);
      boolean isReference =
          c.isEmpty()
              && settings.stream()
                  .anyMatch(
                      x ->
                          x.variant().equals(r.variant())
                              && x.cfgScale() == r.cfgScale()
                              && x.reference().equals(r.setting()));
      cells.add(c.map(x -> interval(x.fid(), 1, 2)).orElse(isReference ? "(reference)" : "-"));
      cells.add(c.map(x -> num(x.speedup(), 2) + "x").orElse(isReference ? "1.00x" : "-"));
    }
    return cells;
  }

  /**
   * Per variant and CFG scale of a sweep: the setting with the fewest network evaluations that is
   * not detectably worse than the reference, with its dFID and speed, or that none was.
   */
  static List<String> fewestEvaluationsLines(List<SettingComparison> settings) {
    Map<String, List<SettingComparison>> groups = new LinkedHashMap<>();
    for (SettingComparison c : settings) {
      groups
          .computeIfAbsent(c.variant() + " cfg " + num(c.cfgScale(), 1), k -> new ArrayList<>())
          .add(c);
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<SettingComparison>> g : groups.entrySet()) {
      SettingComparison any = g.getValue().get(0);
      String ref = any.reference() + " (NFE " + any.referenceEvaluations() + ")";
      List<SettingComparison> best = SettingComparison.fewestMatching(g.getValue());
      if (best.isEmpty()) {
        out.add(g.getKey() + ": no cheaper setting is within " + ref + "'s interval");
        continue;
      }
      SettingComparison b = best.get(0);
      out.add(
          String.format(
              Locale.ROOT,
              "%s: fewest evaluations not detectably worse than %s: %s at NFE %d, dFID %s,"
                  + " %s the images/s",
              g.getKey(),
              ref,
              b.setting(),
              b.evaluations(),
              interval(b.fid(), 1, 2),
              Double.isFinite(b.speedup()) ? num(b.speedup(), 2) + "x" : "-"));
    }
    return out;
  }

  /** The rows sorted by variant, CFG scale, sampler family and NFE (stable otherwise). */
  static List<RowScore> byEvaluations(List<RowScore> rows) {
    List<String> variants = rows.stream().map(RowScore::variant).distinct().toList();
    List<String> families = rows.stream().map(ReportWriter::family).distinct().toList();
    List<RowScore> sorted = new ArrayList<>(rows);
    sorted.sort(
        Comparator.<RowScore>comparingInt(r -> variants.indexOf(r.variant()))
            .thenComparingDouble(RowScore::cfgScale)
            .thenComparingInt(r -> families.indexOf(family(r)))
            .thenComparingInt(RowScore::evaluations));
    return sorted;
  }

  /** A row's setting label without its step count: {@code heun-8-karras} to {@code heun-karras}. */
  static String family(RowScore r) {
    return r.setting().replaceFirst("-\\d+(?=-|$)", "");
  }

  /** FID (y) against NFE (x), one polyline per variant, CFG scale and sampler family. */
  static String fidNfePlot(List<RowScore> rows) {
    Map<String, List<RowScore>> bySeries =
        byEvaluations(rows).stream()
            .filter(r -> Double.isFinite(r.fid().mean()) && r.evaluations() > 0)
            .collect(
                Collectors.groupingBy(
                    r -> r.variant() + " cfg " + num(r.cfgScale(), 1) + " " + family(r),
                    LinkedHashMap::new,
                    Collectors.toList()));
    List<double[][]> series = new ArrayList<>();
    for (List<RowScore> s : bySeries.values()) {
      double[][] pts = new double[s.size()][];
      for (int i = 0; i < s.size(); i++) {
        RowScore r = s.get(i);
        double err = Double.isFinite(r.fid().std()) ? r.fid().std() : r.fidSplitStd();
        pts[i] = new double[] {r.evaluations(), r.fid().mean(), Double.isFinite(err) ? err : 0};
      }
      series.add(pts);
    }
    return svgPlot(
        new ArrayList<>(bySeries.keySet()), series, "network evaluations per image", "FID", true);
  }

  /** Per-class FID, one column per row of the table; empty for unconditional studies. */
  static String perClassMarkdown(List<RowScore> rows) {
    TreeMap<Integer, Map<String, Double>> byClass = perClassFid(rows);
    if (byClass.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("| class |");
    for (RowScore r : rows) {
      sb.append(' ').append(r.label()).append(" |");
    }
    sb.append("\n|---|").append("---:|".repeat(rows.size())).append('\n');
    for (Map.Entry<Integer, Map<String, Double>> e : byClass.entrySet()) {
      sb.append("| ").append(e.getKey()).append(" |");
      for (RowScore r : rows) {
        Double v = e.getValue().get(r.label());
        sb.append(' ').append(v == null ? "-" : num(v, 2)).append(" |");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** class -> row label -> FID of that class's samples, mean over the row's replicates. */
  static TreeMap<Integer, Map<String, Double>> perClassFid(List<RowScore> rows) {
    TreeMap<Integer, Map<String, Double>> out = new TreeMap<>();
    for (RowScore r : rows) {
      Map<Integer, double[]> sums = new TreeMap<>();
      for (CellScore c : r.cells()) {
        for (CellScore.ClassScore k : c.perClass()) {
          double[] s = sums.computeIfAbsent(k.label(), x -> new double[2]);
          s[0] += k.fid();
          s[1] += 1;
        }
      }
      for (Map.Entry<Integer, double[]> e : sums.entrySet()) {
        out.computeIfAbsent(e.getKey(), x -> new LinkedHashMap<>())
            .put(r.label(), e.getValue()[0] / e.getValue()[1]);
      }
    }
    return out;
  }

  static String csv(List<RowScore> rows, List<ArmComparison> comparisons) {
    StringBuilder sb =
        new StringBuilder(
            "variant,objective,setting,cfg_scale,replicates,fid,fid_rep_std,fid_split_std,is,"
                + "is_rep_std,is_split_std,kid,kid_rep_std,kid_subset_std,precision,"
                + "precision_rep_std,recall,recall_rep_std,density,density_rep_std,coverage,"
                + "coverage_rep_std,fid_inf,fid_inf_rep_std,dfid,dfid_lo,dfid_hi,dis,dis_lo,dis_hi,"
                + "dkid,dkid_lo,dkid_hi,dprecision,dprecision_lo,dprecision_hi,drecall,drecall_lo,"
                + "drecall_hi,verdict,holm_p,features,samples,train_steps,train_seconds,nfe,"
                + "images_per_second,score_keys\n");
    for (RowScore r : rows) {
      ArmComparison c = comparisonOf(r, comparisons);
      List<String> f = new ArrayList<>();
      f.add(quote(r.variant()));
      f.add(r.objective());
      f.add(quote(r.setting()));
      f.add(Double.toString(r.cfgScale()));
      f.add(Integer.toString(r.replicates()));
      f.add(d(r.fid().mean()));
      f.add(d(r.fid().std()));
      f.add(d(r.fidSplitStd()));
      f.add(d(r.is().mean()));
      f.add(d(r.is().std()));
      f.add(d(r.isSplitStd()));
      f.add(d(r.kid().mean()));
      f.add(d(r.kid().std()));
      f.add(d(r.kidSubsetStd()));
      for (RowScore.Spread s :
          List.of(r.precision(), r.recall(), r.density(), r.coverage(), r.fidInfinity())) {
        f.add(d(s.mean()));
        f.add(d(s.std()));
      }
      for (String m : List.of("FID", "IS", "KID", "precision", "recall")) {
        Difference x = c == null ? null : c.difference(m);
        f.add(x == null ? "" : d(x.estimate()));
        f.add(x == null ? "" : d(x.lower()));
        f.add(x == null ? "" : d(x.upper()));
      }
      f.add(c == null ? "control" : quote(c.verdict()));
      f.add(c == null ? "" : d(c.adjustedP()));
      f.add(quote(r.featureNetwork()));
      f.add(Integer.toString(r.samples()));
      f.add(Integer.toString(r.trainSteps()));
      f.add(String.format(Locale.ROOT, "%.1f", r.trainSeconds()));
      f.add(Integer.toString(r.evaluations()));
      f.add(
          Double.isFinite(r.imagesPerSecond())
              ? String.format(Locale.ROOT, "%.3f", r.imagesPerSecond())
              : "");
      f.add(String.join(";", r.cells().stream().map(CellScore::scoreKey).toList()));
      sb.append(String.join(",", f)).append('\n');
    }
    return sb.toString();
  }

  static String json(
      String title, String control, List<RowScore> rows, List<ArmComparison> comparisons) {
    try {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("experiment", title);
      m.put("control", control);
      m.put("legend", LEGEND);
      m.put("rows", rows);
      m.put("comparisons", comparisons);
      List<SettingComparison> settings = SettingComparison.of(rows);
      if (!settings.isEmpty()) {
        m.put("settingComparisonsLegend", REFERENCE_LEGEND);
        m.put("settingComparisons", settings);
      }
      List<SettingComparison> twins = SettingComparison.precisionTwins(rows);
      if (!twins.isEmpty()) {
        m.put("precisionComparisonsLegend", PRECISION_LEGEND);
        m.put("precisionComparisons", twins);
      }
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m)
          + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String html(
      String title,
      String configJson,
      String control,
      List<RowScore> rows,
      List<ArmComparison> comparisons,
      List<LossCurve> curves,
      Map<String, byte[]> grids) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
        .append(esc(title))
        .append(" - spdiff report</title><style>")
        .append(
            "body{font-family:sans-serif;margin:2em;max-width:1300px}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
                + "td:first-child,th:first-child{text-align:left}"
                + ".grids{display:flex;flex-wrap:wrap;gap:16px}.grids figure{margin:0}"
                + ".grids img{image-rendering:pixelated;width:224px}pre{background:#f6f6f6;"
                + "padding:1em;overflow:auto;font-size:12px}")
        .append("</style></head><body>");
    sb.append("<h1>").append(esc(title)).append("</h1>");
    sb.append("<h2>Scores</h2><table><tr><th>variant</th><th>objective</th><th>sampler</th>")
        .append("<th>CFG</th><th>reps</th><th>FID</th><th>FID split sd</th><th>IS</th>")
        .append("<th>KID x1e3</th><th>precision</th><th>recall</th><th>density</th>")
        .append("<th>coverage</th><th>FID inf</th><th>dFID vs ")
        .append(esc(control))
        .append("</th><th>verdict</th><th>train time</th></tr>");
    for (RowScore r : rows) {
      ArmComparison c = comparisonOf(r, comparisons);
      sb.append("<tr>");
      for (String cell :
          List.of(
              r.variant(),
              r.objective(),
              r.setting(),
              num(r.cfgScale(), 1),
              Integer.toString(r.replicates()),
              pm(r.fid(), 1, 2),
              num(r.fidSplitStd(), 2),
              pm(r.is(), 1, 2),
              pm(r.kid(), 1e3, 2),
              pm(r.precision(), 1, 3),
              pm(r.recall(), 1, 3),
              pm(r.density(), 1, 3),
              pm(r.coverage(), 1, 3),
              pm(r.fidInfinity(), 1, 2),
              c == null ? "(control)" : interval(c.difference("FID"), 1, 2),
              c == null ? "" : c.verdict(),
              duration(r.trainSeconds()))) {
        sb.append("<td>").append(esc(cell)).append("</td>");
      }
      sb.append("</tr>");
    }
    sb.append("</table><p>").append(esc(LEGEND)).append("</p>");
    if (!comparisons.isEmpty()) {
      sb.append("<h2>Differences against the control (")
          .append(esc(control))
          .append(")</h2><table><tr><th>variant</th><th>sampler</th><th>CFG</th><th>pairs</th>")
          .append("<th>dFID</th><th>dIS</th><th>dKID x1e3</th><th>dprecision</th>")
          .append("<th>drecall</th><th>verdict</th><th>Holm p</th><th>note</th></tr>");
      for (ArmComparison c : comparisons) {
        sb.append("<tr>");
        for (String cell :
            List.of(
                c.variant(),
                c.setting(),
                num(c.cfgScale(), 1),
                Integer.toString(c.pairs()),
                interval(c.difference("FID"), 1, 2),
                interval(c.difference("IS"), 1, 2),
                interval(c.difference("KID"), 1e3, 2),
                interval(c.difference("precision"), 1, 3),
                interval(c.difference("recall"), 1, 3),
                c.verdict(),
                Double.isFinite(c.adjustedP())
                    ? String.format(Locale.ROOT, "%.3g", c.adjustedP())
                    : "-",
                c.cardDifferences().isEmpty()
                    ? (c.note() == null ? "" : c.note())
                    : "not compared: " + String.join("; ", c.cardDifferences()))) {
          sb.append("<td>").append(esc(cell)).append("</td>");
        }
        sb.append("</tr>");
      }
      sb.append("</table>");
      comparisons.stream()
          .map(ArmComparison::method)
          .filter(m -> m != null && !m.isEmpty())
          .distinct()
          .forEach(m -> sb.append("<p>Intervals: ").append(esc(m)).append("</p>"));
    }
    if (sweepsEvaluations(rows)) {
      sb.append("<h2>FID against network evaluations</h2>")
          .append("<p>Error bars: std across replicates (the split std with one replicate).</p>")
          .append(fidNfePlot(rows));
    }
    List<SettingComparison> settings = SettingComparison.of(rows);
    sb.append("<h2>Sampling cost</h2><table><tr>");
    costHeader(!settings.isEmpty()).forEach(h -> sb.append("<th>").append(esc(h)).append("</th>"));
    sb.append("</tr>");
    for (RowScore r : byEvaluations(rows)) {
      sb.append("<tr>");
      for (String cell : costCells(r, settings)) {
        sb.append("<td>").append(esc(cell)).append("</td>");
      }
      sb.append("</tr>");
    }
    sb.append("</table><p>").append(esc(COST_LEGEND)).append("</p>");
    List<String> fewest = fewestEvaluationsLines(settings);
    if (!fewest.isEmpty()) {
      sb.append("<p>").append(esc(REFERENCE_LEGEND)).append("</p><ul>");
      fewest.forEach(line -> sb.append("<li>").append(esc(line)).append("</li>"));
      sb.append("</ul>");
    }
    List<SettingComparison> twins = SettingComparison.precisionTwins(rows);
    if (!twins.isEmpty()) {
      sb.append("<h3>Reduced precision against float32</h3><table><tr>");
      PRECISION_HEADER.forEach(h -> sb.append("<th>").append(esc(h)).append("</th>"));
      sb.append("</tr>");
      for (SettingComparison c : twins) {
        sb.append("<tr>");
        precisionCells(c).forEach(cell -> sb.append("<td>").append(esc(cell)).append("</td>"));
        sb.append("</tr>");
      }
      sb.append("</table><p>").append(esc(PRECISION_LEGEND)).append("</p>");
    }
    sb.append("<h2>FID against CFG scale</h2>")
        .append("<p>Error bars: std across replicates (the split std with one replicate).</p>")
        .append(fidPlot(rows));
    sb.append("<h2>Precision against recall</h2>")
        .append("<p>One point per variant and CFG scale (labelled by the scale): CFG trades")
        .append(" recall (diversity) for precision (fidelity).</p>")
        .append(precisionRecallPlot(rows));
    TreeMap<Integer, Map<String, Double>> byClass = perClassFid(rows);
    if (!byClass.isEmpty()) {
      sb.append("<h2>Per class</h2>").append(perClassHtml(rows));
    }
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
    sb.append("</div>");
    sb.append("<h2>Evaluation cards</h2>").append(cardsHtml(rows));
    sb.append("<h2>Experiment</h2><pre>").append(esc(configJson)).append("</pre>");
    sb.append("</body></html>\n");
    return sb.toString();
  }

  /** Per-class FID and IS (means over replicates), one column pair per row. */
  static String perClassHtml(List<RowScore> rows) {
    StringBuilder sb = new StringBuilder("<table><tr><th>class</th>");
    for (RowScore r : rows) {
      sb.append("<th>").append(esc(r.label())).append(" FID / IS</th>");
    }
    sb.append("</tr>");
    TreeMap<Integer, Map<String, double[]>> by = new TreeMap<>();
    for (RowScore r : rows) {
      for (CellScore c : r.cells()) {
        for (CellScore.ClassScore k : c.perClass()) {
          double[] s =
              by.computeIfAbsent(k.label(), x -> new LinkedHashMap<>())
                  .computeIfAbsent(r.label(), x -> new double[3]);
          s[0] += k.fid();
          s[1] += k.is();
          s[2] += 1;
        }
      }
    }
    for (Map.Entry<Integer, Map<String, double[]>> e : by.entrySet()) {
      sb.append("<tr><td>").append(e.getKey()).append("</td>");
      for (RowScore r : rows) {
        double[] s = e.getValue().get(r.label());
        sb.append("<td>")
            .append(s == null ? "-" : num(s[0] / s[2], 2) + " / " + num(s[1] / s[2], 2))
            .append("</td>");
      }
      sb.append("</tr>");
    }
    return sb.append("</table>").toString();
  }

  /** Every distinct evaluation card (the variant fields aside) with the rows that share it. */
  static String cardsHtml(List<RowScore> rows) {
    StringBuilder sb = new StringBuilder("<table><tr><th>rows</th><th>card</th></tr>");
    Map<String, List<String>> byCard = new LinkedHashMap<>();
    for (RowScore r : rows) {
      for (CellScore c : r.cells()) {
        if (c.card() == null) {
          continue;
        }
        Map<String, Object> m = new TreeMap<>(c.card().asMap());
        EvaluationCard.VARIANT_FIELDS.forEach(m::remove);
        String text;
        try {
          text =
              new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalStateException(e);
        }
        List<String> labels = byCard.computeIfAbsent(text, x -> new ArrayList<>());
        if (!labels.contains(r.label())) {
          labels.add(r.label());
        }
      }
    }
    for (Map.Entry<String, List<String>> e : byCard.entrySet()) {
      sb.append("<tr><td>")
          .append(esc(String.join(", ", e.getValue())))
          .append("</td><td><pre>")
          .append(esc(e.getKey()))
          .append("</pre></td></tr>");
    }
    return sb.append("</table>").toString();
  }

  /** FID (y) against CFG scale (x), one polyline per variant and setting, with error bars. */
  static String fidPlot(List<RowScore> rows) {
    Map<String, List<RowScore>> bySeries =
        rows.stream()
            .filter(r -> Double.isFinite(r.fid().mean()))
            .collect(
                Collectors.groupingBy(
                    r -> r.variant() + " " + r.setting(), LinkedHashMap::new, Collectors.toList()));
    List<double[][]> series = new ArrayList<>();
    for (List<RowScore> s : bySeries.values()) {
      List<RowScore> sorted = new ArrayList<>(s);
      sorted.sort(Comparator.comparingDouble(RowScore::cfgScale));
      double[][] pts = new double[sorted.size()][];
      for (int i = 0; i < sorted.size(); i++) {
        RowScore r = sorted.get(i);
        double err = Double.isFinite(r.fid().std()) ? r.fid().std() : r.fidSplitStd();
        pts[i] = new double[] {r.cfgScale(), r.fid().mean(), Double.isFinite(err) ? err : 0};
      }
      series.add(pts);
    }
    return svgPlot(new ArrayList<>(bySeries.keySet()), series, "CFG scale", "FID", true);
  }

  /** Precision (y) against recall (x), one series per variant and setting over CFG scales. */
  static String precisionRecallPlot(List<RowScore> rows) {
    Map<String, List<RowScore>> bySeries =
        rows.stream()
            .filter(
                r -> Double.isFinite(r.precision().mean()) && Double.isFinite(r.recall().mean()))
            .collect(
                Collectors.groupingBy(
                    r -> r.variant() + " " + r.setting(), LinkedHashMap::new, Collectors.toList()));
    List<double[][]> series = new ArrayList<>();
    for (List<RowScore> s : bySeries.values()) {
      List<RowScore> sorted = new ArrayList<>(s);
      sorted.sort(Comparator.comparingDouble(RowScore::cfgScale));
      double[][] pts = new double[sorted.size()][];
      for (int i = 0; i < sorted.size(); i++) {
        RowScore r = sorted.get(i);
        pts[i] = new double[] {r.recall().mean(), r.precision().mean(), 0, r.cfgScale()};
      }
      series.add(pts);
    }
    return svgPlot(new ArrayList<>(bySeries.keySet()), series, "recall", "precision", false);
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
    return svgPlot(curves.stream().map(LossCurve::name).toList(), series, "step", "loss", false);
  }

  /**
   * A minimal line plot with axes, ticks at the extremes and a legend. A point is {@code {x, y}},
   * {@code {x, y, err}} (a vertical error bar of +- err when {@code errorBars}) or {@code {x, y,
   * err, label}} (the label's value written beside the point).
   */
  static String svgPlot(
      List<String> names,
      List<double[][]> series,
      String xLabel,
      String yLabel,
      boolean errorBars) {
    double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
    for (double[][] s : series) {
      for (double[] p : s) {
        if (!Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
          continue;
        }
        double e = errorBars && p.length > 2 ? p[2] : 0;
        x0 = Math.min(x0, p[0]);
        x1 = Math.max(x1, p[0]);
        y0 = Math.min(y0, p[1] - e);
        y1 = Math.max(y1, p[1] + e);
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
          if (errorBars && p.length > 2 && p[2] > 0) {
            double e = p[2] / (y1 - y0) * (h - t - b);
            sb.append(
                String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>",
                    px,
                    py - e,
                    px,
                    py + e,
                    color));
          }
          if (p.length > 3) {
            sb.append(
                String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%s</text>",
                    px + 5,
                    py - 5,
                    color,
                    tick(p[3])));
          }
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

  /** {@code mean +- std} of a spread scaled by {@code scale} ({@code -} for a missing std). */
  static String pm(RowScore.Spread s, double scale, int digits) {
    if (!Double.isFinite(s.mean())) {
      return "-";
    }
    return num(s.mean() * scale, digits)
        + " +- "
        + (Double.isFinite(s.std()) ? num(s.std() * scale, digits) : "-");
  }

  /** {@code estimate [lo, hi]} of a difference scaled by {@code scale}. */
  static String interval(Difference d, double scale, int digits) {
    if (d == null || !Double.isFinite(d.estimate())) {
      return "-";
    }
    String sign = d.estimate() * scale >= 0 ? "+" : "";
    return sign
        + num(d.estimate() * scale, digits)
        + " ["
        + num(d.lower() * scale, digits)
        + ", "
        + num(d.upper() * scale, digits)
        + "]";
  }

  private static String d(double v) {
    return Double.isFinite(v) ? Double.toString(v) : "";
  }

  static String pm(double v, double sd, int digits) {
    if (!Double.isFinite(v)) {
      return "-";
    }
    String s = num(v, digits);
    return Double.isFinite(sd) ? s + " +- " + num(sd, digits) : s;
  }

  static String num(double v, int digits) {
    if (!Double.isFinite(v)) {
      return "-";
    }
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
