package org.spdiff.pipelines.cli;

import java.util.List;

/** The subcommands of this build, in the order {@code spdiff --help} lists them. */
public final class Commands {
  private Commands() {}

  /** Every shipped command. Add a new command here. */
  public static List<Command> all() {
    List<Command> out = new java.util.ArrayList<>();
    out.addAll(org.spdiff.pipelines.dag.ExperimentCommand.all());
    out.add(new org.spdiff.pipelines.prepare.PrepareCommand());
    out.add(new org.spdiff.pipelines.scores.FidCommand());
    out.add(new org.spdiff.pipelines.scores.KidCommand());
    out.add(new org.spdiff.pipelines.scores.PrdcCommand());
    out.add(new org.spdiff.pipelines.scores.CompareCommand());
    out.add(new org.spdiff.pipelines.scores.StatsCommand());
    out.add(new org.spdiff.pipelines.scores.IsCommand());
    out.add(new org.spdiff.pipelines.scores.FeaturesCommand());
    out.add(new org.spdiff.pipelines.store.VerifyCommand());
    return List.copyOf(out);
  }
}
