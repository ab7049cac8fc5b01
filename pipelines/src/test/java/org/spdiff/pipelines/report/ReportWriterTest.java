package org.spdiff.pipelines.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spdiff.metrics.compare.Difference;
import org.spdiff.metrics.compare.Metric;

class ReportWriterTest {

  static EvaluationCard card(String variant, int replicate, double cfg) {
    return new EvaluationCard(
        500,
        "train",
        60000,
        "ref",
        500,
        "domain:abc",
        "none",
        "ddim",
        20,
        "trailing",
        0,
        "fp32",
        20,
        cfg,
        0,
        true,
        true,
        1234,
        10,
        "class",
        1,
        Map.of("fid", "frechet"),
        variant,
        "mse",
        replicate,
        7 + replicate,
        variant + replicate);
  }

  static CellScore cell(
      String variant,
      int replicate,
      double cfg,
      double fid,
      double fidStd,
      double is,
      double kid,
      List<CellScore.ClassScore> perClass,
      List<String> warnings) {
    return new CellScore(
        variant,
        variant.equals("mse") ? "mse" : "self-perceptual",
        replicate,
        "ddim-20",
        cfg,
        fid,
        fidStd,
        is,
        0.1,
        kid,
        0.001,
        0.7,
        0.5,
        0.9,
        0.8,
        fid - 1,
        0.01,
        perClass,
        "domain:abc",
        500,
        100,
        60 + replicate * 10,
        "k-" + variant + replicate + cfg,
        card(variant, replicate, cfg),
        null,
        warnings,
        10.0 + replicate);
  }

  /** mse (two replicates: FID 31 and 33), sp at CFG 0 (one warning) and sp at CFG 2 (no IS). */
  static final List<RowScore> ROWS =
      List.of(
          RowScore.of(
              List.of(
                  cell(
                      "mse",
                      0,
                      0,
                      31,
                      1.5,
                      4.0,
                      0.012,
                      List.of(new CellScore.ClassScore(0, 50, 40, 2)),
                      List.of()),
                  cell(
                      "mse",
                      1,
                      0,
                      33,
                      2.5,
                      4.4,
                      0.014,
                      List.of(new CellScore.ClassScore(0, 50, 42, 2)),
                      List.of()))),
          RowScore.of(
              List.of(
                  cell(
                      "sp",
                      0,
                      0,
                      25.5,
                      2.0,
                      5.1,
                      0.008,
                      List.of(),
                      List.of("fewer samples than feature dimensions")))),
          RowScore.of(
              List.of(cell("sp", 0, 2, 20.0, 1.0, Double.NaN, 0.006, List.of(), List.of()))));

  static Difference diff(Metric m, double est, double lo, double hi, double p) {
    return new Difference(
        m, est, lo, hi, (hi - lo) / 4, 9, p, 1, 10, 1, 0, new double[] {est}, true);
  }

  static final List<ArmComparison> COMPARISONS =
      List.of(
          new ArmComparison(
              "sp",
              "mse",
              "ddim-20",
              0,
              1,
              List.of(
                  diff(Metric.FID, -6.5, -8.25, -4.75, 1e-4),
                  diff(Metric.KID, -0.005, -0.007, -0.003, 1e-3)),
              "paired bootstrap",
              List.of(),
              "better",
              2e-4,
              "one replicate: only sampling noise was measured",
              "c1"),
          new ArmComparison(
              "sp",
              "mse",
              "ddim-20",
              2,
              1,
              List.of(),
              "paired bootstrap",
              List.of("steps: 20 vs 50"),
              "not comparable",
              Double.NaN,
              "",
              "c2"));

  @Test
  void rowsAggregateReplicates() {
    RowScore mse = ROWS.get(0);
    assertEquals(2, mse.replicates());
    assertEquals(32.0, mse.fid().mean(), 1e-12);
    assertEquals(Math.sqrt(2.0), mse.fid().std(), 1e-12, "sample std of 31 and 33");
    assertEquals(2.0, mse.fidSplitStd(), 1e-12, "mean of the split stds 1.5 and 2.5");
    assertEquals(65.0, mse.trainSeconds(), 1e-12);
    assertTrue(Double.isNaN(ROWS.get(1).fid().std()), "one replicate: no spread");
    assertThrows(IllegalArgumentException.class, () -> RowScore.of(List.of()));
  }

  @Test
  void tableShowsReplicateSpreadDifferencesAndVerdicts() {
    String md = ReportWriter.markdown("demo", "mse", ROWS, COMPARISONS);
    List<String> rows =
        md.lines()
            .filter(
                l -> l.startsWith("| ") && !l.startsWith("| variant") && !l.startsWith("| class"))
            .toList();
    assertTrue(rows.get(0).contains("| 32.00 +- 1.41 | 2.00 |"), rows.get(0));
    assertTrue(
        rows.get(0).contains("| 13.00 +- 1.41 |"), "KID x1e3 over replicates: " + rows.get(0));
    assertTrue(rows.get(0).contains("(control)"), rows.get(0));
    assertTrue(rows.get(1).contains("| 25.50 +- - | 2.00 |"), rows.get(1));
    assertTrue(rows.get(1).contains("| -6.50 [-8.25, -4.75] | better |"), rows.get(1));
    assertTrue(rows.get(2).contains("| - +- - |") || rows.get(2).contains("| - |"), rows.get(2));
    assertTrue(
        md.contains(
            "not compared, sp @ ddim-20 cfg 2.0: the evaluation cards differ in steps: 20 vs 50"),
        md);
    assertTrue(md.contains("only sampling noise was measured"), md);
    assertTrue(md.contains("## FID per class"), md);
    assertTrue(md.contains("| 0 | 41.00 |"), "class 0 FID, mean over replicates: " + md);
    assertTrue(md.contains("sp @ ddim-20 cfg 0.0: fewer samples than feature dimensions"), md);
  }

  @Test
  void withoutWallTimesDropsOnlyTrainSeconds() {
    String csv = ReportWriter.csv(ROWS, COMPARISONS);
    String header = csv.lines().findFirst().orElseThrow();
    String kept = ReportWriter.withoutWallTimes(csv);
    List<String> cols = List.of(kept.lines().findFirst().orElseThrow().split(","));
    assertEquals(header.split(",").length - 2, cols.size());
    assertTrue(!cols.contains("train_seconds") && cols.contains("train_steps"), kept);
    assertTrue(!cols.contains("images_per_second") && cols.contains("nfe"), kept);
    assertEquals(csv.lines().count(), kept.lines().count());
    assertThrows(
        IllegalArgumentException.class, () -> ReportWriter.withoutWallTimes("variant,fid\n"));
  }

  @Test
  void csvKeepsBothSpreadsAndTheDifferences() {
    String csv = ReportWriter.csv(ROWS, COMPARISONS);
    List<String> lines = csv.lines().toList();
    assertEquals(4, lines.size());
    List<String> header = List.of(lines.get(0).split(",", -1));
    String[] mse = lines.get(1).split(",", -1);
    String[] sp = lines.get(2).split(",", -1);
    assertEquals("mse", mse[0]);
    assertEquals(32.0, Double.parseDouble(mse[header.indexOf("fid")]));
    assertEquals(Math.sqrt(2), Double.parseDouble(mse[header.indexOf("fid_rep_std")]), 1e-12);
    assertEquals(2.0, Double.parseDouble(mse[header.indexOf("fid_split_std")]));
    assertEquals("control", mse[header.indexOf("verdict")]);
    assertEquals(-6.5, Double.parseDouble(sp[header.indexOf("dfid")]));
    assertEquals(-8.25, Double.parseDouble(sp[header.indexOf("dfid_lo")]));
    assertEquals("better", sp[header.indexOf("verdict")]);
    assertEquals(header.size(), mse.length);
  }

  @Test
  void htmlEmbedsGridsPlotsAndCards() {
    Map<String, byte[]> files =
        ReportWriter.render(
            "demo",
            "{}",
            "mse",
            ROWS,
            COMPARISONS,
            List.of(new LossCurve("teacher", List.of(1, 2, 3), List.of(1.0, 0.5, 0.25))),
            Map.of("sp @ ddim-20 cfg 0.0", new byte[] {(byte) 0x89, 'P', 'N', 'G'}));
    String html = new String(files.get("report.html"), StandardCharsets.UTF_8);
    assertTrue(html.contains("data:image/png;base64,iVBORw=="), "grid embedded");
    assertEquals(
        3, html.split("<svg").length - 1, "FID-vs-CFG, precision-vs-recall and loss plots");
    assertTrue(html.contains("<line x1="), "error bars on the FID plot");
    assertTrue(html.contains("Evaluation cards") && html.contains("domain:abc"), "cards");
    assertTrue(html.contains("Per class"));
    String json = new String(files.get("scores.json"), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"card\"") && json.contains("\"perClass\""), json);
    assertEquals(
        List.of("table.md", "table.csv", "scores.json", "report.html"),
        List.copyOf(files.keySet()));
  }

  @Test
  void cardsDifferOnlyOutsideTheVariantFields() {
    EvaluationCard a = card("mse", 0, 0);
    EvaluationCard b = card("sp", 1, 0);
    assertEquals(List.of(), a.differences(b), "variant, replicate, seed and model may differ");
    EvaluationCard c = card("sp", 0, 2);
    assertEquals(List.of("cfgScale: 0.0 vs 2.0"), a.differences(c));
  }

  /**
   * A sampler/steps sweep: the report adds the FID-against-NFE table (ordered by series, then NFE)
   * and plot; every row shows its NFE and images/s, which the wall-time-free table leaves out, and
   * its paired dFID against the setting with the most NFE (ddim-50). Hand-computed intervals (K =
   * 1, G = 3 folds: se = sqrt(2/3 sum (delta_g - mean)^2), t_{0.975,2} = 4.3027): heun-8 deltas (2,
   * 0, 1) give +1.00 +- 4.97, so it is not detectably worse; dpm++2m-20 and -10 deltas (x.1, x.9,
   * x.0) give +-0.50 around +2 and +3, both worse. The cheapest match is heun-8 at NFE 15.
   */
  @Test
  void samplerSweepGetsAFidAgainstNfeTableAndPlot() {
    List<RowScore> rows = new java.util.ArrayList<>();
    String[][] settings = {
      {"ddim-50", "50"}, {"heun-8", "15"}, {"dpm++2m-20", "20"}, {"dpm++2m-10", "10"}
    };
    double[][] withoutFold = {{30, 30, 30}, {32, 30, 31}, {32.1, 31.9, 32}, {33.1, 32.9, 33}};
    for (int s = 0; s < settings.length; s++) {
      rows.add(
          solverRow(
              settings[s][0], Integer.parseInt(settings[s][1]), 30 + s, withoutFold[s], 1000.0));
    }
    String md = ReportWriter.markdown("solvers", "mse", rows, List.of());
    assertTrue(md.contains("## FID against network evaluations"), md);
    List<String> cost =
        md.lines()
            .dropWhile(l -> !l.startsWith("## FID against network evaluations"))
            .filter(l -> l.startsWith("| mse"))
            .toList();
    assertEquals(
        List.of(
            "| mse | 0.0 | ddim-50 | 50 | 30.00 +- - | 1.00 | 20.00 | (reference) | 1.00x |",
            "| mse | 0.0 | heun-8 | 15 | 31.00 +- - | 1.00 | 66.67 | +1.00 [-3.97, 5.97] | 3.33x |",
            "| mse | 0.0 | dpm++2m-10 | 10 | 33.00 +- - | 1.00 | 100.00 | +3.00 [2.50, 3.50] | 5.00x |",
            "| mse | 0.0 | dpm++2m-20 | 20 | 32.00 +- - | 1.00 | 50.00 | +2.00 [1.50, 2.50] | 2.50x |"),
        cost);
    assertTrue(
        md.contains(
            "- mse cfg 0.0: fewest evaluations not detectably worse than ddim-50 (NFE 50): heun-8"
                + " at NFE 15, dFID +1.00 [-3.97, 5.97], 3.33x the images/s\n"),
        md);
    List<RowScore> withoutHeun =
        rows.stream().filter(r -> !r.setting().startsWith("heun")).toList();
    assertEquals(
        List.of("mse cfg 0.0: no cheaper setting is within ddim-50 (NFE 50)'s interval"),
        ReportWriter.fewestEvaluationsLines(SettingComparison.of(withoutHeun)));
    String csv = ReportWriter.csv(rows, List.of());
    List<String> header = List.of(csv.lines().findFirst().orElseThrow().split(",", -1));
    String[] heun = csv.lines().skip(2).findFirst().orElseThrow().split(",", -1);
    assertEquals("15", heun[header.indexOf("nfe")]);
    assertEquals("66.667", heun[header.indexOf("images_per_second")]);
    String html =
        new String(
            ReportWriter.render("solvers", "{}", "mse", rows, List.of(), List.of(), Map.of())
                .get("report.html"),
            StandardCharsets.UTF_8);
    assertTrue(html.contains("FID against network evaluations"), "plot section");
    assertEquals(3, html.split("<svg").length - 1, "FID-vs-NFE, FID-vs-CFG, precision-recall");
    assertTrue(html.contains("network evaluations per image"), "x axis");
    assertTrue(html.contains("<li>mse cfg 0.0: fewest evaluations not detectably worse"), html);
    String json = ReportWriter.json("solvers", "mse", rows, List.of());
    assertTrue(json.contains("\"settingComparisons\""), json);
    assertTrue(json.contains("\"reference\" : \"ddim-50\""), json);
  }

  /**
   * A bf16 row is compared with its float32 twin (same sampler), not with the sweep's reference.
   * dpm++2m-20-bf16 against dpm++2m-20: FID 34 - 32 = +2.00, fold deltas (2.2, 2.0, 1.8), se =
   * sqrt(2/3 (0.04 + 0 + 0.04)) = 0.2309, t_{0.975,2} = 4.3027: [1.01, 2.99]; images/s 1500/20
   * against 1000/20: 1.50x. A bf16 row without a float32 twin gets no line.
   */
  @Test
  void reducedPrecisionRowsAreComparedWithTheirFloat32Twin() {
    List<RowScore> rows =
        List.of(
            solverRow("ddim-50", 50, 30, new double[] {30, 30, 30}, 1000),
            solverRow("dpm++2m-20", 20, 32, new double[] {32.1, 31.9, 32}, 1000),
            solverRow("dpm++2m-20-bf16", 20, 34, new double[] {34.3, 33.9, 33.8}, 1500),
            solverRow("heun-8-bf16", 15, 31, new double[] {31, 31, 31}, 1500));
    List<SettingComparison> twins = SettingComparison.precisionTwins(rows);
    assertEquals(1, twins.size());
    String md = ReportWriter.markdown("solvers", "mse", rows, List.of());
    assertTrue(
        md.contains(
            "| variant | CFG | setting | float32 twin | dFID vs float32 | speed |\n"
                + "|---|---:|---|---|---|---:|\n"
                + "| mse | 0.0 | dpm++2m-20-bf16 | dpm++2m-20 | +2.00 [1.01, 2.99] | 1.50x |\n"),
        md);
    assertTrue(md.contains(ReportWriter.PRECISION_LEGEND), md);
    String json = ReportWriter.json("solvers", "mse", rows, List.of());
    assertTrue(json.contains("\"precisionComparisons\""), json);
    String html =
        new String(
            ReportWriter.render("solvers", "{}", "mse", rows, List.of(), List.of(), Map.of())
                .get("report.html"),
            StandardCharsets.UTF_8);
    assertTrue(html.contains("<h3>Reduced precision against float32</h3>"), html);
  }

  /**
   * One replicate's row of a solver sweep: setting label (its precision suffix included), NFE, FID,
   * the FID without each of 3 folds, and images/s = work / NFE.
   */
  private static RowScore solverRow(
      String setting, int nfe, double fid, double[] withoutFold, double work) {
    org.spdiff.metrics.compare.CellProfile profile =
        new org.spdiff.metrics.compare.CellProfile(
            1000,
            3,
            7L,
            Map.of(
                Metric.FID,
                new org.spdiff.metrics.compare.JackknifeProfile(
                    Metric.FID, fid, withoutFold, 1000, 3, 7L)),
            null,
            null,
            null,
            List.of());
    EvaluationCard c = card("mse", 0, 0);
    c =
        new EvaluationCard(
            c.samples(),
            c.referenceSplit(),
            c.referenceCount(),
            c.referenceKey(),
            c.prdcReferenceCount(),
            c.featureNetwork(),
            c.resize(),
            setting.replaceFirst("-\\d+$", ""),
            0,
            c.spacing(),
            c.eta(),
            c.precision(),
            nfe,
            c.cfgScale(),
            c.guidanceRescale(),
            c.clipX0(),
            c.ema(),
            c.generationSeed(),
            c.classes(),
            c.labels(),
            c.teacherSeed(),
            c.estimators(),
            c.variant(),
            c.objective(),
            c.replicate(),
            c.trainingSeed(),
            c.modelKey());
    CellScore base = cell("mse", 0, 0, fid, 1.0, 4.0, 0.01, List.of(), List.of());
    return RowScore.of(
        List.of(
            new CellScore(
                base.variant(),
                base.objective(),
                base.replicate(),
                setting,
                base.cfgScale(),
                base.fid(),
                base.fidStd(),
                base.isMean(),
                base.isStd(),
                base.kid(),
                base.kidStd(),
                base.precision(),
                base.recall(),
                base.density(),
                base.coverage(),
                base.fidInfinity(),
                base.fidInfinityResidual(),
                base.perClass(),
                base.featureNetwork(),
                base.samples(),
                base.trainSteps(),
                base.trainSeconds(),
                base.scoreKey(),
                c,
                profile,
                base.warnings(),
                work / nfe)));
  }

  @Test
  void lossCsvParses() {
    LossCurve c = LossCurve.parseCsv("t", "step,loss\n1,0.5\n2,0.25\n");
    assertEquals(List.of(1, 2), c.steps());
    assertEquals(List.of(0.5, 0.25), c.losses());
  }
}
