package org.spdiff.pipelines.report;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.spdiff.metrics.compare.CellProfile;
import org.spdiff.metrics.compare.Difference;
import org.spdiff.metrics.compare.Metric;
import org.spdiff.metrics.compare.PairedComparison;
import org.spdiff.pipelines.experiment.ExperimentSpec.SamplingSetting;

/**
 * One sampling setting of a variant against the same variant's reference setting at the same CFG
 * scale: the question "how few network evaluations match the expensive sampler?" of a solver sweep.
 * The reference of a variant and CFG scale is its setting with the most network evaluations (the
 * first such row on ties): the most accurate solution of the sampling ODE the study has.
 *
 * <p>Both rows come from the same trained models and the same per-sample noise and class (sample i
 * of every cell starts from the same x_T), so replicate r at one setting is paired with replicate r
 * at the other, and the difference and its 95% interval are {@link PairedComparison}'s, computed
 * from the cells' jackknife profiles (no features are read again).
 *
 * @param variant the arm
 * @param cfgScale the CFG scale of both rows
 * @param reference the reference row's setting label (e.g. {@code ddim-50})
 * @param setting this row's setting label
 * @param evaluations this row's network evaluations per image
 * @param referenceEvaluations the reference's
 * @param fid FID of this setting minus the reference's, with its 95% interval (null when a cell has
 *     no profile)
 * @param speedup this row's images/s over the reference's (NaN when either was not recorded)
 */
public record SettingComparison(
    String variant,
    double cfgScale,
    String reference,
    String setting,
    int evaluations,
    int referenceEvaluations,
    Difference fid,
    double speedup)
    implements Serializable {

  /**
   * Whether this setting is not detectably worse than the reference: the lower end of its dFID
   * interval is at most 0 (the interval contains 0, or lies below it).
   */
  public boolean matchesReference() {
    return fid != null && fid.lower() <= 0;
  }

  /**
   * Every non-reference row against its reference, grouped by variant, CFG scale and labels (class
   * or null) in the order the rows come; empty unless some variant and CFG scale has rows with
   * different NFE.
   */
  public static List<SettingComparison> of(List<RowScore> rows) {
    Map<String, List<RowScore>> groups = new LinkedHashMap<>();
    for (RowScore r : rows) {
      // Class-conditional and null-class rows answer different questions: never one group.
      String key = r.variant() + "\u0000" + r.cfgScale() + "\u0000" + unconditional(r.setting());
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    List<SettingComparison> out = new ArrayList<>();
    for (List<RowScore> g : groups.values()) {
      if (g.stream().map(RowScore::evaluations).distinct().count() < 2) {
        continue;
      }
      RowScore ref = reference(g);
      for (RowScore r : g) {
        if (r != ref) {
          out.add(compare(ref, r));
        }
      }
    }
    return out;
  }

  /** Whether a setting label samples with the null class ({@code ddim-10-uncond}). */
  static boolean unconditional(String settingLabel) {
    return settingLabel.contains(SamplingSetting.UNCONDITIONAL_SUFFIX);
  }

  /** Setting-label suffixes of the reduced precisions ({@code ddim-50-bf16}). */
  static final List<String> REDUCED_PRECISIONS = List.of("-bf16", "-fp16");

  /**
   * Every reduced-precision row (a setting label ending in {@code -bf16} or {@code -fp16}) against
   * its float32 twin: the same variant, CFG scale and setting without the suffix, when the study
   * has that row. The difference isolates what the precision costs in FID at an unchanged sampler;
   * the speed ratio is what it buys.
   */
  public static List<SettingComparison> precisionTwins(List<RowScore> rows) {
    List<SettingComparison> out = new ArrayList<>();
    for (RowScore r : rows) {
      for (String suffix : REDUCED_PRECISIONS) {
        if (!r.setting().endsWith(suffix)) {
          continue;
        }
        String twin = r.setting().substring(0, r.setting().length() - suffix.length());
        rows.stream()
            .filter(
                x ->
                    x.variant().equals(r.variant())
                        && x.cfgScale() == r.cfgScale()
                        && x.setting().equals(twin))
            .findFirst()
            .ifPresent(ref -> out.add(compare(ref, r)));
      }
    }
    return out;
  }

  /** The row with the most network evaluations; the first on ties. */
  static RowScore reference(List<RowScore> group) {
    RowScore best = group.get(0);
    for (RowScore r : group) {
      if (r.evaluations() > best.evaluations()) {
        best = r;
      }
    }
    return best;
  }

  static SettingComparison compare(RowScore ref, RowScore row) {
    int pairs = Math.min(ref.cells().size(), row.cells().size());
    List<CellProfile> a = new ArrayList<>();
    List<CellProfile> b = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      a.add(ref.cells().get(i).profile());
      b.add(row.cells().get(i).profile());
    }
    Difference fid = null;
    if (pairs > 0 && a.stream().allMatch(p -> p != null) && b.stream().allMatch(p -> p != null)) {
      try {
        fid = PairedComparison.compare(a, b).get(Metric.FID);
      } catch (IllegalArgumentException notPaired) {
        // Different sample counts or fold settings: the rows cannot be paired; no interval.
        fid = null;
      }
    }
    return new SettingComparison(
        row.variant(),
        row.cfgScale(),
        ref.setting(),
        row.setting(),
        row.evaluations(),
        ref.evaluations(),
        fid,
        row.imagesPerSecond() / ref.imagesPerSecond());
  }

  /**
   * Per variant and CFG scale (in order), the setting with the fewest network evaluations that is
   * not detectably worse than the reference (fastest on ties), if any.
   */
  public static List<SettingComparison> fewestMatching(List<SettingComparison> all) {
    Map<String, SettingComparison> best = new LinkedHashMap<>();
    Comparator<SettingComparison> cheaper =
        Comparator.comparingInt(SettingComparison::evaluations)
            .thenComparing(
                c -> Double.isNaN(c.speedup()) ? Double.NEGATIVE_INFINITY : -c.speedup());
    for (SettingComparison c : all) {
      String k = c.variant() + "\u0000" + c.cfgScale();
      best.putIfAbsent(k, null);
      if (c.matchesReference() && (best.get(k) == null || cheaper.compare(c, best.get(k)) < 0)) {
        best.put(k, c);
      }
    }
    List<SettingComparison> out = new ArrayList<>();
    best.values().stream().filter(c -> c != null).forEach(out::add);
    return out;
  }

  /** The comparison of {@code row} against its reference, if it has one. */
  static Optional<SettingComparison> find(List<SettingComparison> all, RowScore row) {
    return all.stream()
        .filter(
            c ->
                c.variant().equals(row.variant())
                    && c.cfgScale() == row.cfgScale()
                    && c.setting().equals(row.setting()))
        .findFirst();
  }
}
