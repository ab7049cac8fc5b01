package org.spdiff.pipelines.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportWriterTest {

  static final List<CellScore> ROWS =
      List.of(
          new CellScore(
              "mse",
              "mse",
              0,
              31.25,
              1.5,
              4.2,
              0.1,
              0.012,
              0.001,
              "domain:abc",
              500,
              100,
              65,
              "k1",
              List.of()),
          new CellScore(
              "sp",
              "self-perceptual",
              0,
              25.5,
              2.0,
              5.1,
              0.2,
              0.008,
              0.002,
              "domain:abc",
              500,
              100,
              90,
              "k2",
              List.of("fewer samples than feature dimensions")),
          new CellScore(
              "sp",
              "self-perceptual",
              2,
              20.0,
              1.0,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              "domain:abc",
              500,
              100,
              90,
              "k3",
              List.of()));

  @Test
  void tableHasOneRowPerCellWithUncertainties() {
    String md = ReportWriter.markdown("demo", ROWS);
    List<String> rows =
        md.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| variant")).toList();
    assertEquals(3, rows.size());
    assertTrue(rows.get(0).contains("| 31.25 +- 1.50 |"), rows.get(0));
    assertTrue(rows.get(0).contains("| 12.00 +- 1.00 |"), "KID is shown x1e3: " + rows.get(0));
    assertTrue(rows.get(2).contains("| - |"), "a score not computed shows '-': " + rows.get(2));
    assertTrue(md.contains("sp @ cfg 0.0: fewer samples than feature dimensions"));
  }

  @Test
  void withoutWallTimesDropsOnlyTrainSeconds() {
    String csv = ReportWriter.csv(ROWS);
    String header = csv.lines().findFirst().orElseThrow();
    String kept = ReportWriter.withoutWallTimes(csv);
    List<String> cols = List.of(kept.lines().findFirst().orElseThrow().split(","));
    assertEquals(header.split(",").length - 1, cols.size());
    assertTrue(!cols.contains("train_seconds") && cols.contains("train_steps"), kept);
    assertEquals(csv.lines().count(), kept.lines().count());
    assertThrows(
        IllegalArgumentException.class, () -> ReportWriter.withoutWallTimes("variant,fid\n"));
  }

  @Test
  void csvRoundTripsTheNumbers() {
    String csv = ReportWriter.csv(ROWS);
    List<String> lines = csv.lines().toList();
    assertEquals(4, lines.size());
    String[] f = lines.get(1).split(",");
    assertEquals("mse", f[0]);
    assertEquals(31.25, Double.parseDouble(f[3]));
    assertEquals(1.5, Double.parseDouble(f[4]));
  }

  @Test
  void htmlEmbedsGridsAndPlots() {
    Map<String, byte[]> files =
        ReportWriter.render(
            "demo",
            "{}",
            ROWS,
            List.of(new LossCurve("teacher", List.of(1, 2, 3), List.of(1.0, 0.5, 0.25))),
            Map.of("sp @ cfg 0.0", new byte[] {(byte) 0x89, 'P', 'N', 'G'}));
    String html = new String(files.get("report.html"), StandardCharsets.UTF_8);
    assertTrue(html.contains("data:image/png;base64,iVBORw=="), "grid embedded");
    assertEquals(2, html.split("<svg").length - 1, "FID-vs-CFG and loss plots");
    assertTrue(html.contains("<polyline"));
    assertEquals(
        List.of("table.md", "table.csv", "scores.json", "report.html"),
        List.copyOf(files.keySet()));
  }

  @Test
  void lossCsvParses() {
    LossCurve c = LossCurve.parseCsv("t", "step,loss\n1,0.5\n2,0.25\n");
    assertEquals(List.of(1, 2), c.steps());
    assertEquals(List.of(0.5, 0.25), c.losses());
  }
}
