package org.spdiff.pipelines.dag;

import java.util.ArrayList;
import java.util.List;

/**
 * While a study runs, Ctrl-C (SIGINT) or SIGTERM prints one line saying that nothing complete is
 * lost and which command resumes it. Complete keys are immutable and training resumes from its
 * newest intact checkpoint, so the resume command is the same command line.
 */
final class ResumeNotice implements AutoCloseable {
  private final Thread hook;

  private ResumeNotice(String line) {
    hook = new Thread(() -> System.err.println(line), "spdiff-resume-notice");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Installs the notice until {@link #close()}; the line is {@link #line}. */
  static ResumeNotice install(String command, String experiment, String[] flags, String store) {
    return new ResumeNotice(line(command, experiment, flags, store));
  }

  /** {@code spdiff run: interrupted; ... resume with: spdiff run EXP --flag=...}. */
  static String line(String command, String experiment, String[] flags, String store) {
    List<String> words = new ArrayList<>(List.of("spdiff", command, experiment));
    for (String f : flags) {
      words.add(f);
    }
    return "spdiff "
        + command
        + ": interrupted; complete stages and training checkpoints are kept in "
        + store
        + "; resume with: "
        + String.join(" ", words);
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is already exiting: the notice is printing.
    }
  }
}
