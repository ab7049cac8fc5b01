package org.spdiff.pipelines.scores;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.compare.CellProfile;
import org.spdiff.metrics.compare.CellProfiles;
import org.spdiff.metrics.compare.ComparisonReference;
import org.spdiff.metrics.compare.ComparisonSettings;
import org.spdiff.metrics.compare.Difference;
import org.spdiff.metrics.compare.Metric;
import org.spdiff.metrics.compare.PairedComparison;
import org.spdiff.metrics.fid.FrechetReference;
import org.spdiff.metrics.linalg.LibtorchMultiplier;
import org.spdiff.metrics.prdc.PrdcReference;
import org.spdiff.metrics.stats.FeatureMatrix;
import org.spdiff.metrics.stats.FeatureMoments;
import org.spdiff.metrics.stats.InceptionScore;
import org.spdiff.metrics.stats.KernelInceptionDistance;
import org.spdiff.pipelines.cli.CliOptions;
import org.spdiff.pipelines.cli.Command;
import org.spdiff.pipelines.cli.UsageException;

/**
 * {@code spdiff compare REF A B}: paired differences B minus A of two row-aligned sample sets (row
 * i of both from the same noise and class) against one reference, each with a 95% interval from the
 * jackknife over paired folds ({@link PairedComparison}). With one set per arm the intervals
 * measure sampling noise only (said on standard error). REF may be {@code .npz} statistics (FID
 * only) or features; then precision/recall and KID use a seeded subset of REF the size of A.
 */
public final class CompareCommand implements Command {
  @Override
  public String name() {
    return "compare";
  }

  @Override
  public String summary() {
    return "paired dFID, dIS, dKID, dPrecision, dRecall (B - A) of row-aligned sets, 95% intervals";
  }

  @Override
  public String positionals() {
    return "REF A B";
  }

  @Override
  public Class<? extends PipelineOptions> optionsClass() {
    return CompareOptions.class;
  }

  @Override
  public int run(List<String> positionals, String[] flags) {
    if (positionals.size() != 3) {
      throw new UsageException(
          "expected REF A B (A and B row-aligned feature sets), got "
              + positionals.size()
              + " paths");
    }
    CompareOptions o = CliOptions.parse(flags, CompareOptions.class);
    KidCommand.checkKidFlags(o);
    PrdcCommand.checkPrdcFlags(o);
    ScoreNetwork.checkFlags(o);
    if (o.getFolds() < 2 || o.getFolds() > 64) {
      throw new UsageException("--folds must be in [2, 64], got " + o.getFolds());
    }
    if (o.getSplits() < 1) {
      throw new UsageException("--splits must be >= 1, got " + o.getSplits());
    }
    if (o.getLogitsA().isEmpty() != o.getLogitsB().isEmpty()) {
      throw new UsageException("--logitsA and --logitsB go together: give both or neither");
    }
    String pr = positionals.get(0);
    String pa = positionals.get(1);
    String pb = positionals.get(2);
    long[] sr = ScoreInputs.precheck(pr);
    long[] sa = ScoreInputs.precheck(pa);
    long[] sb = ScoreInputs.precheck(pb);
    for (String p : List.of(pa, pb)) {
      if (ScoreInputs.isStatistics(p)) {
        throw new UsageException(
            p + ": .npz statistics hold no feature rows; compare needs the rows of A and B");
      }
    }
    if (sa != null && sb != null) {
      checkAligned(pa, sa[0], sa[1], pb, sb[0], sb[1]);
    }
    if (sr != null && sa != null && sr[1] != sa[1]) {
      throw FidCommand.dimensions(pr, sr[1], pa, sa[1]);
    }
    long[] la = o.getLogitsA().isEmpty() ? null : ScoreInputs.precheck(o.getLogitsA());
    long[] lb = o.getLogitsB().isEmpty() ? null : ScoreInputs.precheck(o.getLogitsB());
    if (la != null && sa != null && la[0] != sa[0]) {
      throw new UsageException(
          "--logitsA: " + o.getLogitsA() + " has " + la[0] + " rows, " + pa + " has " + sa[0]);
    }
    if (lb != null && sb != null && lb[0] != sb[0]) {
      throw new UsageException(
          "--logitsB: " + o.getLogitsB() + " has " + lb[0] + " rows, " + pb + " has " + sb[0]);
    }

    FeatureExtractor[] net = {null};
    try {
      ScoreInputs.Rows a = ScoreInputs.rows(pa, o, net, "compare");
      ScoreInputs.Rows b = ScoreInputs.rows(pb, o, net, "compare");
      FeatureMatrix fa = a.features();
      FeatureMatrix fb = b.features();
      checkAligned(pa, fa.rows(), fa.dim(), pb, fb.rows(), fb.dim());
      int n = fa.rows();
      if (n < 2 * o.getFolds()) {
        throw new UsageException(
            pa + ": " + n + " rows are too few for --folds=" + o.getFolds() + " (2 per fold)");
      }
      double[][] logitsA = a.logits();
      double[][] logitsB = b.logits();
      if (la != null) {
        logitsA = logits(o.getLogitsA(), "--logitsA", n);
        logitsB = logits(o.getLogitsB(), "--logitsB", n);
      }
      if (logitsA == null || logitsB == null) {
        logitsA = null;
        logitsB = null;
      } else if (logitsA[0].length != logitsB[0].length) {
        throw new UsageException(
            "logits of A have " + logitsA[0].length + " classes, of B " + logitsB[0].length);
      }

      ComparisonSettings settings =
          new ComparisonSettings(
              o.getFolds(),
              org.spdiff.metrics.compare.PairedFolds.DEFAULT_SEED,
              Math.min(o.getSplits(), n),
              InceptionScore.DEFAULT_SEED,
              o.getKidSubsets(),
              o.getKidSubsetSize(),
              KernelInceptionDistance.DEFAULT_SEED);
      ComparisonReference reference;
      if (ScoreInputs.isStatistics(pr)) {
        FeatureMoments m = ScoreInputs.moments(pr, o, net);
        if (m.dim() != fa.dim()) {
          throw FidCommand.dimensions(pr, m.dim(), pa, fa.dim());
        }
        reference = ComparisonReference.fidOnly(FrechetReference.of(m));
      } else {
        FeatureMatrix ref = ScoreInputs.rows(pr, o, net, "compare").features();
        if (ref.dim() != fa.dim()) {
          throw FidCommand.dimensions(pr, ref.dim(), pa, fa.dim());
        }
        if (ref.rows() <= Math.max(o.getK(), o.getDcK())) {
          throw new UsageException(
              pr + ": " + ref.rows() + " rows; k-NN radii need more than max(k, dcK)");
        }
        FrechetReference fid = FrechetReference.of(ScoreInputs.statsOf(ref));
        reference =
            ComparisonReference.of(
                fid,
                ref,
                n,
                PrdcReference.DEFAULT_SUBSET_SEED,
                o.getK(),
                o.getDcK(),
                settings,
                LibtorchMultiplier.INSTANCE);
      }
      CellProfile ca =
          CellProfiles.compute(reference, fa, logitsA, settings, LibtorchMultiplier.INSTANCE);
      CellProfile cb =
          CellProfiles.compute(reference, fb, logitsB, settings, LibtorchMultiplier.INSTANCE);
      java.util.LinkedHashSet<String> warnings = new java.util.LinkedHashSet<>(ca.warnings());
      warnings.addAll(cb.warnings());
      warnings.forEach(w -> System.err.println("warning: " + w));
      Map<Metric, Difference> d = PairedComparison.compare(List.of(ca), List.of(cb));
      System.out.println(String.format(Locale.ROOT, "FID A: %s", ca.value(Metric.FID)));
      System.out.println(String.format(Locale.ROOT, "FID B: %s", cb.value(Metric.FID)));
      for (Metric m : List.of(Metric.FID, Metric.IS, Metric.KID, Metric.PRECISION, Metric.RECALL)) {
        Difference x = d.get(m);
        if (x != null) {
          System.out.println(
              String.format(
                  Locale.ROOT, "d%s: %s [%s, %s]", label(m), x.estimate(), x.lower(), x.upper()));
        }
      }
      Difference fid = d.get(Metric.FID);
      System.err.println(
          "intervals: 95%, B minus A, jackknife over "
              + fid.folds()
              + " paired folds (t with "
              + (int) fid.degreesOfFreedom()
              + " degrees of freedom); "
              + fid.note());
      return 0;
    } finally {
      if (net[0] != null) {
        net[0].close();
      }
    }
  }

  /** {@code FID}, {@code IS}, {@code KID}, {@code Precision}, {@code Recall}. */
  static String label(Metric m) {
    String l = m.label();
    return Character.toUpperCase(l.charAt(0)) + l.substring(1);
  }

  private static double[][] logits(String path, String flag, int n) {
    FeatureMatrix l = ScoreInputs.readMatrix(path);
    if (l.rows() != n) {
      throw new UsageException(flag + ": " + path + " has " + l.rows() + " rows, expected " + n);
    }
    return l.toArray();
  }

  private static void checkAligned(String pa, long na, long da, String pb, long nb, long db) {
    if (da != db) {
      throw FidCommand.dimensions(pa, da, pb, db);
    }
    if (na != nb) {
      throw new UsageException(
          "A and B must be row-aligned: " + pa + " has " + na + " rows, " + pb + " has " + nb);
    }
  }
}
