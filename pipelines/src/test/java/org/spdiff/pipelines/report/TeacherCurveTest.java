package org.spdiff.pipelines.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TeacherCurveTest {

  static TeacherCurve curve(double... fids) {
    List<TeacherCurve.Point> p = new ArrayList<>();
    for (int i = 0; i < fids.length; i++) {
      // KID values exact in binary and in the CSV's 8 decimals.
      p.add(new TeacherCurve.Point(100L * (i + 1), fids[i], 0.25 * i, 1.5));
    }
    return new TeacherCurve(p);
  }

  @Test
  void flattensWhereTheNextTwoEvaluationsGainLessThanTheTolerance() {
    // 20 -> 12: -40%; 12 -> 10: -17% (not flat); from 10: 9.8 and 9.7 are within 5% of 10.
    TeacherCurve c = curve(20, 12, 10, 9.8, 9.7);
    assertEquals(OptionalLong.of(300), c.plateau(0.05));
    assertTrue(c.verdict(0.05).startsWith("plateau reached at step 300"), c.verdict(0.05));
    // With a 1% tolerance, 10 -> 9.7 is still progress, and nothing after 9.8 can be judged.
    assertEquals(OptionalLong.empty(), c.plateau(0.01));
    assertTrue(c.verdict(0.01).startsWith("still improving"), c.verdict(0.01));
  }

  @Test
  void aLaterDropUndoesAnEarlyFlatStretch() {
    // From 10, the next two (9.9, 9.8) are within 5%, but 8.0 later is not: flat only from 8.0.
    assertEquals(OptionalLong.of(500), curve(20, 10, 9.9, 9.8, 8.0, 7.9, 7.85).plateau(0.05));
  }

  /**
   * The conditional bench teacher of fmnist-verdict.yaml trained to 6,000 steps (2026-12-02,
   * evaluations every 250 steps, 256 EMA samples, DDIM-10): after step 4,250 (FID 4.622) no
   * evaluation reached 95% of it (the best later one, 4.406 at 5,250, is 4.7% lower).
   */
  @Test
  void theSixThousandStepTeacherFlattenedAt4250() {
    TeacherCurve c =
        curve(
            14.847, 10.748, 8.862, 7.822, 7.153, 6.905, 6.429, 5.928, 5.615, 5.311, 5.231, 5.166,
            4.930, 4.807, 4.772, 4.769, 4.622, 4.532, 4.517, 4.489, 4.406, 4.454, 4.496, 4.521);
    // curve() numbers steps 100, 200, ...: the 17th evaluation is step 4,250 of that run
    assertEquals(OptionalLong.of(1700), c.plateau(0.05));
    assertEquals(OptionalLong.empty(), curve(14.847, 10.748, 8.862, 7.822, 7.153).plateau(0.05));
  }

  @Test
  void aNoisyRiseCountsAsFlatAndTooShortACurveIsNot() {
    assertEquals(OptionalLong.of(200), curve(15, 11, 11.5, 10.6).plateau(0.05));
    assertEquals(OptionalLong.empty(), curve(15, 14.9).plateau(0.05));
    assertEquals("not evaluated", new TeacherCurve(List.of()).verdict(0.05));
  }

  @Test
  void csvRoundTrips() {
    TeacherCurve c = curve(20, 12.5, 10.25);
    String csv = c.csv();
    assertTrue(csv.startsWith(TeacherCurve.HEADER + "\n100,20.000000,0.00000000,1.50\n"), csv);
    assertEquals(c, TeacherCurve.parseCsv(csv));
  }
}
