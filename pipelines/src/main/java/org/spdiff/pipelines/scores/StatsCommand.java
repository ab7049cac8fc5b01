package org.spdiff.pipelines.scores;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.io.StatsNpz;
import org.spdiff.metrics.stats.FeatureMoments;
import org.spdiff.pipelines.cli.CliOptions;
import org.spdiff.pipelines.cli.Command;
import org.spdiff.pipelines.cli.UsageException;

/**
 * {@code spdiff stats PATH --out=FILE.npz}: pytorch-fid's {@code --save-stats}, for any input of
 * {@link ScoreInputs}; on a prepared split (e.g. {@code <store>/prepare/<key>}) it writes the
 * reference statistics of the real data with the chosen features and resize, through the same
 * {@code Scores.extract} the study's reference statistics use.
 */
public final class StatsCommand implements Command {
  @Override
  public String name() {
    return "stats";
  }

  @Override
  public String summary() {
    return "write the FID statistics (mu, sigma) of images (folder, .npz batch, prepared split) or"
        + " of a .npy feature matrix as a pytorch-fid .npz";
  }

  @Override
  public String positionals() {
    return "PATH";
  }

  @Override
  public Class<? extends PipelineOptions> optionsClass() {
    return ScoreOptions.class;
  }

  @Override
  public int run(List<String> positionals, String[] flags) throws IOException {
    if (positionals.size() != 1) {
      throw new UsageException(
          "expected one input (images, .npy features or .npz), got "
              + positionals.size()
              + " paths");
    }
    ScoreOptions o = CliOptions.parse(flags, ScoreOptions.class);
    ScoreNetwork.checkFlags(o);
    if (o.getOut().isEmpty() || !o.getOut().endsWith(".npz")) {
      throw new UsageException("--out=FILE.npz is required");
    }
    FeatureExtractor[] net = {null};
    try {
      FeatureMoments m = ScoreInputs.moments(positionals.get(0), o, net);
      Path out = Path.of(o.getOut());
      Path tmp = out.toAbsolutePath().resolveSibling(".tmp-" + out.getFileName());
      try {
        StatsNpz.write(tmp, m);
        java.nio.file.Files.move(
            tmp,
            out,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } finally {
        java.nio.file.Files.deleteIfExists(tmp);
      }
      System.out.println("wrote " + out + " (" + m.mu().length + " dims)");
      return 0;
    } finally {
      if (net[0] != null) {
        net[0].close();
      }
    }
  }
}
