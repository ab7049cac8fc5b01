package org.spdiff.pipelines.store;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;
import org.spdiff.pipelines.cli.CliOptions;
import org.spdiff.pipelines.cli.Command;
import org.spdiff.pipelines.cli.UsageException;

/**
 * {@code spdiff verify STORE}: checks every complete key of an artifact store against its marker
 * (each file's size and SHA-256, hashed again) and every recorded provenance link, and lists each
 * damaged file; exit status 1 when anything is damaged. {@code --quarantine=true} moves the damaged
 * keys aside so the next run recomputes them.
 */
public final class VerifyCommand implements Command {
  private final PrintStream out;

  public VerifyCommand() {
    this(System.out);
  }

  public VerifyCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public String name() {
    return "verify";
  }

  @Override
  public String summary() {
    return "check every complete key of an artifact store (sizes, SHA-256, provenance links)";
  }

  @Override
  public String positionals() {
    return "STORE";
  }

  @Override
  public Class<? extends PipelineOptions> optionsClass() {
    return VerifyOptions.class;
  }

  @Override
  public int run(List<String> positionals, String[] flags) {
    if (positionals.size() != 1) {
      throw new UsageException(
          "spdiff verify takes one STORE folder, got " + positionals.size() + " arguments");
    }
    VerifyOptions options = CliOptions.parse(flags, VerifyOptions.class);
    FileSystems.setDefaultPipelineOptions(options);
    ArtifactStore store = new ArtifactStore(positionals.get(0));
    if (!ArtifactStore.exists(store.root())) {
      throw new UsageException("no artifact store at " + store.root());
    }
    long t0 = System.nanoTime();
    List<String> keys = store.completeKeys();
    Set<String> damaged = new LinkedHashSet<>();
    int files = 0;
    for (String sk : keys) {
      String[] p = sk.split("/", 2);
      List<String> problems = new ArrayList<>(store.check(p[0], p[1]));
      files += store.recorded(p[0], p[1]).map(m -> m.size()).orElse(0);
      if (problems.isEmpty()) {
        problems.addAll(store.checkConsumed(p[0], p[1]));
      }
      for (String problem : problems) {
        out.println("damaged " + store.dir(p[0], p[1]) + "/" + problem);
      }
      if (!problems.isEmpty()) {
        damaged.add(sk);
      }
    }
    out.printf(
        Locale.ROOT,
        "verified %d complete keys (%d files) of %s in %.2f s: %d damaged%n",
        keys.size(),
        files,
        store.root(),
        (System.nanoTime() - t0) / 1e9,
        damaged.size());
    if (options.getQuarantine()) {
      // What consumed a damaged key goes too: it was computed from content now set aside.
      for (boolean grew = true; grew; ) {
        grew = false;
        for (String sk : keys) {
          String[] p = sk.split("/", 2);
          if (!damaged.contains(sk)
              && store.consumedKeys(p[0], p[1]).stream().anyMatch(damaged::contains)) {
            damaged.add(sk);
            grew = true;
          }
        }
      }
      for (String sk : damaged) {
        String[] p = sk.split("/", 2);
        out.println("quarantined " + sk + " -> " + store.quarantine(p[0], p[1]));
      }
    } else if (!damaged.isEmpty()) {
      out.println(
          "`spdiff verify "
              + store.root()
              + " --quarantine=true` moves the damaged keys aside so the next run recomputes them");
    }
    return damaged.isEmpty() ? 0 : 1;
  }
}
