package org.spdiff.pipelines.scores;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.Scores;
import org.spdiff.metrics.io.NpyMatrix;
import org.spdiff.pipelines.cli.CliOptions;
import org.spdiff.pipelines.cli.Command;
import org.spdiff.pipelines.cli.UsageException;

/**
 * {@code spdiff features PATH --out=F.npy}: the feature matrix the scoring commands would use
 * (float32, N x d, numpy's {@code .npy}), one row per image in input order (a folder's images
 * sorted by name, dead letters skipped).
 */
public final class FeaturesCommand implements Command {
  @Override
  public String name() {
    return "features";
  }

  @Override
  public String summary() {
    return "write the feature matrix (float32 N x d .npy) of images: folder, .npz batch, prepared split";
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
      throw new UsageException("expected one input (images), got " + positionals.size() + " paths");
    }
    ScoreOptions o = CliOptions.parse(flags, ScoreOptions.class);
    ScoreNetwork.checkFlags(o);
    if (o.getOut().isEmpty() || !o.getOut().endsWith(".npy")) {
      throw new UsageException("--out=FILE.npy is required");
    }
    Path out = Path.of(o.getOut());
    String path = positionals.get(0);
    ScoreInputs.Kind kind = ScoreInputs.kind(path);
    if (kind == ScoreInputs.Kind.STATS_NPZ) {
      throw new UsageException(
          path + ": holds statistics (mu, sigma), not images or per-image features");
    }
    if (kind == ScoreInputs.Kind.FEATURE_NPY) {
      throw new UsageException(path + ": is already a feature matrix; give images");
    }
    try (FeatureExtractor net = ScoreNetwork.open(o)) {
      Scores.Extracted ex = ScoreInputs.extract(path, o, net, true);
      Path tmp = out.toAbsolutePath().resolveSibling(".tmp-" + out.getFileName());
      try {
        NpyMatrix.writeFloat32(tmp, ex.features());
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      System.out.println(
          "wrote "
              + out
              + " ("
              + ex.features().length
              + " x "
              + net.dims()
              + ", "
              + net.id()
              + ")");
      return 0;
    }
  }
}
