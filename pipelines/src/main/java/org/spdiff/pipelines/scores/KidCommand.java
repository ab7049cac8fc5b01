package org.spdiff.pipelines.scores;

import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.options.PipelineOptions;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.linalg.LibtorchMultiplier;
import org.spdiff.metrics.stats.KernelInceptionDistance;
import org.spdiff.metrics.stats.SplitScore;
import org.spdiff.pipelines.cli.CliOptions;
import org.spdiff.pipelines.cli.Command;
import org.spdiff.pipelines.cli.UsageException;

/**
 * {@code spdiff kid REAL FAKE}: prints {@code KID: <mean> +- <std>}, torch-fidelity's estimator
 * with FAKE as its {@code input1} (mean and ddof-0 std of the unbiased MMD^2 over subsets).
 */
public final class KidCommand implements Command {
  @Override
  public String name() {
    return "kid";
  }

  @Override
  public String summary() {
    return "KID between feature sets (.npy matrices or images: folders, .npz batches, prepared splits),"
        + " torch-fidelity's estimator";
  }

  @Override
  public String positionals() {
    return "REAL FAKE";
  }

  @Override
  public Class<? extends PipelineOptions> optionsClass() {
    return KidOptions.class;
  }

  @Override
  public int run(List<String> positionals, String[] flags) {
    if (positionals.size() != 2) {
      throw new UsageException(
          "expected two feature sets REAL FAKE (.npy or images), got " + positionals.size());
    }
    KidOptions o = CliOptions.parse(flags, KidOptions.class);
    checkKidFlags(o);
    ScoreNetwork.checkFlags(o);
    String real = positionals.get(0);
    String fake = positionals.get(1);
    long[] sr = ScoreInputs.precheck(real);
    long[] sf = ScoreInputs.precheck(fake);
    for (String p : positionals) {
      if (ScoreInputs.isStatistics(p)) {
        throw new UsageException(
            p + ": .npz statistics hold no feature rows; KID needs features (.npy or images)");
      }
    }
    if (sr != null && sf != null && sr[1] != sf[1]) {
      throw FidCommand.dimensions(real, sr[1], fake, sf[1]);
    }
    FeatureExtractor[] net = {null};
    try {
      ScoreInputs.Rows r = ScoreInputs.rows(real, o, net, "KID");
      ScoreInputs.Rows f = ScoreInputs.rows(fake, o, net, "KID");
      if (r.features().dim() != f.features().dim()) {
        throw FidCommand.dimensions(real, r.features().dim(), fake, f.features().dim());
      }
      for (ScoreInputs.Rows x : List.of(r, f)) {
        if (x.features().rows() < 2) {
          throw new UsageException(x.path() + ": KID needs at least 2 rows");
        }
      }
      SplitScore s =
          KernelInceptionDistance.compute(
              f.features().toArray(),
              r.features().toArray(),
              o.getKidSubsets(),
              o.getKidSubsetSize(),
              KernelInceptionDistance.DEFAULT_SEED,
              LibtorchMultiplier.INSTANCE);
      s.warnings().forEach(w -> System.err.println("warning: " + w));
      System.out.println(String.format(Locale.ROOT, "KID: %s +- %s", s.mean(), s.std()));
      return 0;
    } finally {
      if (net[0] != null) {
        net[0].close();
      }
    }
  }

  static void checkKidFlags(KidOptions o) {
    if (o.getKidSubsets() < 1) {
      throw new UsageException("--kidSubsets must be >= 1, got " + o.getKidSubsets());
    }
    if (o.getKidSubsetSize() < 2) {
      throw new UsageException("--kidSubsetSize must be >= 2, got " + o.getKidSubsetSize());
    }
  }
}
