package org.spdiff.pipelines.scores;

import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.options.PipelineOptions;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.fid.FidResult;
import org.spdiff.metrics.fid.FrechetDistance;
import org.spdiff.metrics.stats.FeatureMoments;
import org.spdiff.pipelines.cli.CliOptions;
import org.spdiff.pipelines.cli.Command;
import org.spdiff.pipelines.cli.UsageException;

/** {@code spdiff fid PATH1 PATH2}: prints {@code FID: <value>} as pytorch-fid does. */
public final class FidCommand implements Command {
  @Override
  public String name() {
    return "fid";
  }

  @Override
  public String summary() {
    return "FID between two inputs: image folders, .npz image batches, prepared splits or pytorch-fid .npz statistics";
  }

  @Override
  public String positionals() {
    return "PATH1 PATH2";
  }

  @Override
  public Class<? extends PipelineOptions> optionsClass() {
    return ScoreOptions.class;
  }

  @Override
  public int run(List<String> positionals, String[] flags) {
    if (positionals.size() != 2) {
      throw new UsageException(
          "expected two paths (folders, .npz or prepared data), got " + positionals.size());
    }
    ScoreOptions o = CliOptions.parse(flags, ScoreOptions.class);
    FolderFeatures.checkFlags(o);
    FeatureExtractor[] net = {null};
    try {
      FeatureMoments a = FolderFeatures.moments(positionals.get(0), o, net);
      FeatureMoments b = FolderFeatures.moments(positionals.get(1), o, net);
      if (a.mu().length != b.mu().length) {
        throw new UsageException(
            "dimensions differ: "
                + positionals.get(0)
                + " has "
                + a.mu().length
                + ", "
                + positionals.get(1)
                + " has "
                + b.mu().length);
      }
      FidResult r = FrechetDistance.compute(a, b);
      r.warnings().forEach(w -> System.err.println("warning: " + w));
      System.out.println(String.format(Locale.ROOT, "FID: %s", r.value()));
      return 0;
    } finally {
      if (net[0] != null) {
        net[0].close();
      }
    }
  }
}
