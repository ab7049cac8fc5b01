package org.spdiff.pipelines.scores;

import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.options.PipelineOptions;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.Scores;
import org.spdiff.metrics.stats.FeatureMatrix;
import org.spdiff.metrics.stats.InceptionScore;
import org.spdiff.metrics.stats.SplitScore;
import org.spdiff.pipelines.cli.CliOptions;
import org.spdiff.pipelines.cli.Command;
import org.spdiff.pipelines.cli.UsageException;
import org.spdiff.pipelines.stages.FloatMatrix;

/**
 * {@code spdiff is PATH}: the Inception Score (mean and std over splits, torch-fidelity's formula)
 * of images ({@link ScoreInputs}: a folder, an {@code .npz} batch, a prepared split) run through
 * the network, or of a {@code .npy} (N, C) matrix taken as the logits themselves (as {@code spdiff
 * compare --logitsA} takes them).
 */
public final class IsCommand implements Command {
  @Override
  public String name() {
    return "is";
  }

  @Override
  public String summary() {
    return "Inception Score (torch-fidelity's formula) of images (folder, .npz batch, prepared split)"
        + " or of a .npy of logits (N x C)";
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
      throw new UsageException(
          "expected one input (images or a .npy of logits), got " + positionals.size() + " paths");
    }
    ScoreOptions o = CliOptions.parse(flags, ScoreOptions.class);
    ScoreNetwork.checkFlags(o);
    if (o.getSplits() < 1) {
      throw new UsageException("--splits must be >= 1, got " + o.getSplits());
    }
    String path = positionals.get(0);
    ScoreInputs.Kind kind = ScoreInputs.kind(path);
    double[][] logits;
    if (kind == ScoreInputs.Kind.STATS_NPZ) {
      throw new UsageException(
          path + ": .npz statistics hold no logits; the Inception Score needs images or logits");
    } else if (kind == ScoreInputs.Kind.FEATURE_NPY) {
      ScoreInputs.precheck(path);
      FeatureMatrix l = ScoreInputs.readMatrix(path);
      if (l.dim() < 2) {
        throw new UsageException(
            path + ": " + l.dim() + " column; logits (N x C) need at least 2 classes");
      }
      logits = l.toArray();
    } else {
      try (FeatureExtractor net = ScoreNetwork.open(o)) {
        if (net.classes() == 0) {
          throw new UsageException(
              "--dims=" + o.getDims() + " has no logits: the Inception Score needs --dims=2048");
        }
        Scores.Extracted ex = ScoreInputs.extract(path, o, net, false);
        logits = FloatMatrix.toDouble(ex.logits());
      }
    }
    if (logits.length < o.getSplits()) {
      throw new UsageException(
          "--splits=" + o.getSplits() + " exceeds the " + logits.length + " images");
    }
    SplitScore s = InceptionScore.compute(logits, o.getSplits(), true, InceptionScore.DEFAULT_SEED);
    s.warnings().forEach(w -> System.err.println("warning: " + w));
    System.out.println(String.format(Locale.ROOT, "IS: %.6f +- %.6f", s.mean(), s.std()));
    return 0;
  }
}
