package org.spdiff.pipelines.scores;

import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.options.PipelineOptions;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.linalg.LibtorchMultiplier;
import org.spdiff.metrics.prdc.Prdc;
import org.spdiff.metrics.prdc.PrdcReference;
import org.spdiff.pipelines.cli.CliOptions;
import org.spdiff.pipelines.cli.Command;
import org.spdiff.pipelines.cli.UsageException;

/**
 * {@code spdiff prdc REAL FAKE}: precision and recall (Kynkäänniemi et al. 2019, k-NN radii) and
 * density and coverage (Naeem et al. 2020), exact nearest neighbours in float64, closed balls.
 */
public final class PrdcCommand implements Command {
  @Override
  public String name() {
    return "prdc";
  }

  @Override
  public String summary() {
    return "precision, recall, density, coverage between feature sets (.npy matrices or images)";
  }

  @Override
  public String positionals() {
    return "REAL FAKE";
  }

  @Override
  public Class<? extends PipelineOptions> optionsClass() {
    return PrdcOptions.class;
  }

  @Override
  public int run(List<String> positionals, String[] flags) {
    if (positionals.size() != 2) {
      throw new UsageException(
          "expected two feature sets REAL FAKE (.npy or images), got " + positionals.size());
    }
    PrdcOptions o = CliOptions.parse(flags, PrdcOptions.class);
    checkPrdcFlags(o);
    ScoreNetwork.checkFlags(o);
    String real = positionals.get(0);
    String fake = positionals.get(1);
    long[] sr = ScoreInputs.precheck(real);
    long[] sf = ScoreInputs.precheck(fake);
    for (String p : positionals) {
      if (ScoreInputs.isStatistics(p)) {
        throw new UsageException(
            p + ": .npz statistics hold no feature rows; prdc needs features (.npy or images)");
      }
    }
    if (sr != null && sf != null && sr[1] != sf[1]) {
      throw FidCommand.dimensions(real, sr[1], fake, sf[1]);
    }
    checkRows(real, sr, Math.max(o.getK(), o.getDcK()));
    checkRows(fake, sf, o.getK());
    FeatureExtractor[] net = {null};
    try {
      ScoreInputs.Rows r = ScoreInputs.rows(real, o, net, "prdc");
      ScoreInputs.Rows f = ScoreInputs.rows(fake, o, net, "prdc");
      if (r.features().dim() != f.features().dim()) {
        throw FidCommand.dimensions(real, r.features().dim(), fake, f.features().dim());
      }
      checkRows(real, new long[] {r.features().rows()}, Math.max(o.getK(), o.getDcK()));
      checkRows(fake, new long[] {f.features().rows()}, o.getK());
      Prdc p =
          Prdc.compute(
              PrdcReference.of(r.features(), o.getK(), o.getDcK(), LibtorchMultiplier.INSTANCE),
              f.features());
      System.out.println(String.format(Locale.ROOT, "precision: %s", p.precision()));
      System.out.println(String.format(Locale.ROOT, "recall: %s", p.recall()));
      System.out.println(String.format(Locale.ROOT, "density: %s", p.density()));
      System.out.println(String.format(Locale.ROOT, "coverage: %s", p.coverage()));
      return 0;
    } finally {
      if (net[0] != null) {
        net[0].close();
      }
    }
  }

  static void checkPrdcFlags(PrdcOptions o) {
    if (o.getK() < 1) {
      throw new UsageException("--k must be >= 1, got " + o.getK());
    }
    if (o.getDcK() < 1) {
      throw new UsageException("--dcK must be >= 1, got " + o.getDcK());
    }
  }

  /** A set needs more rows than its k-NN radii use. */
  static void checkRows(String path, long[] shape, int k) {
    if (shape != null && shape[0] <= k) {
      throw new UsageException(
          path + ": " + shape[0] + " rows; k-NN radii with k = " + k + " need more than " + k);
    }
  }
}
