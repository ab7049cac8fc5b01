package org.spdiff.pipelines.scores;

import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.options.PipelineOptions;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.fid.FidInfinity;
import org.spdiff.metrics.fid.FidResult;
import org.spdiff.metrics.fid.FrechetDistance;
import org.spdiff.metrics.fid.FrechetReference;
import org.spdiff.metrics.linalg.LibtorchMultiplier;
import org.spdiff.metrics.stats.FeatureMoments;
import org.spdiff.pipelines.cli.CliOptions;
import org.spdiff.pipelines.cli.Command;
import org.spdiff.pipelines.cli.UsageException;

/**
 * {@code spdiff fid PATH1 PATH2}: prints {@code FID: <value>} as pytorch-fid does; with {@code
 * --infinity=true} also {@code FID_inf: <value>} (PATH2 subsampled, PATH1 the reference).
 */
public final class FidCommand implements Command {
  @Override
  public String name() {
    return "fid";
  }

  @Override
  public String summary() {
    return "FID between two inputs: image folders, .npz image batches, prepared splits, .npy feature"
        + " matrices or pytorch-fid .npz statistics";
  }

  @Override
  public String positionals() {
    return "PATH1 PATH2";
  }

  @Override
  public Class<? extends PipelineOptions> optionsClass() {
    return FidOptions.class;
  }

  @Override
  public int run(List<String> positionals, String[] flags) {
    if (positionals.size() != 2) {
      throw new UsageException(
          "expected two paths (images, .npy features, .npz or prepared data), got "
              + positionals.size());
    }
    FidOptions o = CliOptions.parse(flags, FidOptions.class);
    ScoreNetwork.checkFlags(o);
    String pa = positionals.get(0);
    String pb = positionals.get(1);
    long[] sa = ScoreInputs.precheck(pa);
    long[] sb = ScoreInputs.precheck(pb);
    if (sa != null && sb != null && sa[1] != sb[1]) {
      throw dimensions(pa, sa[1], pb, sb[1]);
    }
    if (o.getInfinity() && ScoreInputs.isStatistics(pb)) {
      throw new UsageException(
          "--infinity needs the feature rows of PATH2, but " + pb + " is .npz statistics");
    }
    FeatureExtractor[] net = {null};
    try {
      FeatureMoments a = ScoreInputs.moments(pa, o, net);
      ScoreInputs.Rows rows = null;
      FeatureMoments b;
      if (o.getInfinity()) {
        rows = ScoreInputs.rows(pb, o, net, "--infinity");
        b = ScoreInputs.momentsOf(rows.features());
      } else {
        b = ScoreInputs.moments(pb, o, net);
      }
      if (a.dim() != b.dim()) {
        throw dimensions(pa, a.dim(), pb, b.dim());
      }
      FrechetReference reference = FrechetReference.of(a);
      FidResult r = FrechetDistance.compute(reference, b);
      FidInfinity inf = null;
      if (rows != null) {
        if (rows.features().rows() < 2 * FidInfinity.DEFAULT_PARTS) {
          throw new UsageException(
              pb
                  + ": "
                  + rows.features().rows()
                  + " rows, FID_inf needs at least "
                  + 2 * FidInfinity.DEFAULT_PARTS);
        }
        inf = FidInfinity.compute(reference, rows.features(), LibtorchMultiplier.INSTANCE);
      }
      // Print only once everything is computed: a failure leaves no partial result.
      r.warnings().forEach(w -> System.err.println("warning: " + w));
      System.out.println(String.format(Locale.ROOT, "FID: %s", r.value()));
      if (inf != null) {
        inf.warnings().stream()
            .filter(w -> !r.warnings().contains(w))
            .forEach(w -> System.err.println("warning: " + w));
        System.err.println(
            String.format(
                Locale.ROOT,
                "FID_inf: grid %s, FIDs %s, fit residual (rms) %s",
                java.util.Arrays.toString(inf.grid()),
                java.util.Arrays.toString(inf.fids()),
                inf.residual()));
        System.out.println(String.format(Locale.ROOT, "FID_inf: %s", inf.value()));
      }
      return 0;
    } finally {
      if (net[0] != null) {
        net[0].close();
      }
    }
  }

  static UsageException dimensions(String pa, long da, String pb, long db) {
    return new UsageException("dimensions differ: " + pa + " has " + da + ", " + pb + " has " + db);
  }
}
