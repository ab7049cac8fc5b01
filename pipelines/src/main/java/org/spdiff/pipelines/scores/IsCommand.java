package org.spdiff.pipelines.scores;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.options.PipelineOptions;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.Scores;
import org.spdiff.metrics.stats.InceptionScore;
import org.spdiff.metrics.stats.SplitScore;
import org.spdiff.pipelines.cli.CliOptions;
import org.spdiff.pipelines.cli.Command;
import org.spdiff.pipelines.cli.UsageException;

/**
 * {@code spdiff is PATH}: the Inception Score (mean and std over splits) of images ({@link
 * ScoreInputs}).
 */
public final class IsCommand implements Command {
  @Override
  public String name() {
    return "is";
  }

  @Override
  public String summary() {
    return "Inception Score of images: a folder, an .npz image batch or a prepared split (torch-fidelity's formula)";
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
  public int run(List<String> positionals, String[] flags) {
    if (positionals.size() != 1) {
      throw new UsageException("expected one input (images), got " + positionals.size() + " paths");
    }
    ScoreOptions o = CliOptions.parse(flags, ScoreOptions.class);
    FolderFeatures.checkFlags(o);
    try (FeatureExtractor net = FolderFeatures.open(o)) {
      if (net.classes() == 0) {
        throw new UsageException(
            "--dims=" + o.getDims() + " has no logits: the Inception Score needs --dims=2048");
      }
      Scores.Extracted ex = FolderFeatures.extract(Path.of(positionals.get(0)), o, net);
      if (ex.logits().length < o.getSplits()) {
        throw new UsageException(
            "--splits=" + o.getSplits() + " exceeds the " + ex.logits().length + " images");
      }
      SplitScore s =
          InceptionScore.compute(
              org.spdiff.pipelines.stages.FloatMatrix.toDouble(ex.logits()),
              o.getSplits(),
              true,
              InceptionScore.DEFAULT_SEED);
      s.warnings().forEach(w -> System.err.println("warning: " + w));
      System.out.println(String.format(Locale.ROOT, "IS: %.6f +- %.6f", s.mean(), s.std()));
      return 0;
    }
  }
}
