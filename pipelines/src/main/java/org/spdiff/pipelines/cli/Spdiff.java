package org.spdiff.pipelines.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spdiff.core.engine.MallocSettings;

/**
 * The {@code spdiff} entry point: {@code spdiff <command> [positionals] [--flag=value ...]}.
 *
 * <p>Exit status: 0 on success, 1 when work failed, 2 for a usage or configuration error (printed
 * as one line naming the problem, before any work starts).
 */
public final class Spdiff {

  private final Map<String, Command> commands = new LinkedHashMap<>();

  /** The command table, in the order {@code --help} lists it. */
  public Spdiff(List<Command> commands) {
    for (Command c : commands) {
      this.commands.put(c.name(), c);
    }
  }

  /** The commands this build ships. */
  public static Spdiff standard() {
    return new Spdiff(Commands.all());
  }

  public static void main(String[] args) {
    MallocSettings.warningForThisProcess().ifPresent(w -> System.err.println("spdiff: " + w));
    int status = standard().execute(args, System.out, System.err);
    System.exit(status);
  }

  /** Runs one command line; never calls {@code System.exit}. */
  public int execute(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      printTable(out);
      return args.length == 0 ? 2 : 0;
    }
    Command command = commands.get(args[0]);
    if (command == null) {
      err.printf("spdiff: unknown command '%s' (try: spdiff --help)%n", args[0]);
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
      CliOptions.printHelp(command, out);
      return 0;
    }
    try {
      return command.run(CliOptions.positionals(rest), CliOptions.flags(rest));
    } catch (UsageException e) {
      err.printf("spdiff %s: %s%n", command.name(), e.getMessage());
      return 2;
    } catch (Exception e) {
      err.printf("spdiff %s: failed: %s%n", command.name(), describe(e));
      if (System.getenv("SPDIFF_DEBUG") != null) {
        e.printStackTrace(err);
      }
      return 1;
    }
  }

  /**
   * The root cause's message, or the innermost wrapper that adds context to it (such as the store
   * file that could not be written: "cannot write S/k/f: No space left on device"); wrappers that
   * only repeat their cause ({@code "java.lang.X: message"}) are skipped.
   */
  static String describe(Throwable e) {
    java.util.List<Throwable> chain = new java.util.ArrayList<>();
    Throwable root = e;
    chain.add(root);
    while (root.getCause() != null && root.getCause() != root) {
      if (root instanceof UsageException) {
        break;
      }
      root = root.getCause();
      chain.add(root);
    }
    String msg = root.getMessage();
    if (msg == null) {
      return root.getClass().getSimpleName();
    }
    for (int i = chain.size() - 2; i >= 0; i--) {
      Throwable t = chain.get(i);
      String m = t.getMessage();
      if (m != null
          && m.length() > msg.length()
          && m.contains(msg)
          && !m.equals(String.valueOf(t.getCause()))) {
        return m;
      }
    }
    return msg;
  }

  private void printTable(PrintStream out) {
    out.println("spdiff: self-perceptual diffusion training, sampling and FID/IS scoring on Beam");
    out.println();
    out.println("usage: spdiff <command> [arguments] [--flag=value ...]");
    out.println();
    out.println("commands:");
    for (Command c : commands.values()) {
      out.printf("  %-9s %s%n", c.name(), c.summary());
    }
    out.println();
    out.println("'spdiff <command> --help' lists a command's options and their defaults.");
  }
}
