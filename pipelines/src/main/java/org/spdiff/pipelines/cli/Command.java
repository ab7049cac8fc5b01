package org.spdiff.pipelines.cli;

import org.apache.beam.sdk.options.PipelineOptions;

/**
 * One {@code spdiff} subcommand. Its flags are the getters of {@link #optionsClass()} (Beam's
 * {@code --name=value} convention); {@code --help} is generated from their {@code @Description} and
 * {@code @Default} annotations.
 */
public interface Command {

  /** The word typed after {@code spdiff}. */
  String name();

  /** One line for the subcommand table. */
  String summary();

  /** Positional arguments shown in the usage line, e.g. {@code "PATH1 PATH2"}; empty if none. */
  default String positionals() {
    return "";
  }

  /** The options interface whose getters are this command's flags. */
  Class<? extends PipelineOptions> optionsClass();

  /**
   * Runs the command.
   *
   * @param positionals arguments that are not flags, in order
   * @param flags the {@code --name=value} arguments, untouched
   * @return the process exit status
   */
  int run(java.util.List<String> positionals, String[] flags) throws Exception;
}
