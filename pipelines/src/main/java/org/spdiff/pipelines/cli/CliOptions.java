package org.spdiff.pipelines.cli;

import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * Parses {@code --name=value} flags into a Beam options interface and prints generated help.
 *
 * <p>The default runner is the embedded Flink ({@code --runner=FlinkRunner --flinkMaster=[local]});
 * {@code --runner=DirectRunner} or a cluster master overrides it. Unknown flags and malformed
 * values fail with a {@link UsageException} that names the flag, before any pipeline is built.
 */
public final class CliOptions {

  private CliOptions() {}

  /** Splits raw arguments into positionals and {@code --flags}. */
  public static List<String> positionals(String[] args) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      if (!a.startsWith("--")) {
        out.add(a);
      }
    }
    return out;
  }

  /** The {@code --flags} of raw arguments. */
  public static String[] flags(String[] args) {
    return Arrays.stream(args).filter(a -> a.startsWith("--")).toArray(String[]::new);
  }

  /**
   * Parses and validates flags into {@code type}, adding the embedded-Flink defaults when no runner
   * is named.
   */
  public static <T extends PipelineOptions> T parse(String[] flags, Class<T> type) {
    PipelineOptionsFactory.register(type);
    List<String> all = new ArrayList<>(Arrays.asList(flags));
    boolean hasRunner = all.stream().anyMatch(f -> f.startsWith("--runner="));
    if (!hasRunner) {
      all.add("--runner=FlinkRunner");
      if (all.stream().noneMatch(f -> f.startsWith("--flinkMaster="))) {
        all.add("--flinkMaster=[local]");
        // Embedded: one slot, all cores for libtorch. Training steps are serialized per JVM (DJL
        // allows one gradient collector per process), so more slots only oversubscribe the cores.
        if (all.stream().noneMatch(f -> f.startsWith("--parallelism="))) {
          all.add("--parallelism=1");
        }
      }
    }
    try {
      return PipelineOptionsFactory.fromArgs(all.toArray(String[]::new)).withValidation().as(type);
    } catch (IllegalArgumentException e) {
      throw new UsageException(firstLine(e.getMessage()), e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "invalid arguments";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Prints {@code --name=<type> description (default: ...)} for the options {@code type} adds. */
  public static void printHelp(Command command, PrintStream out) {
    out.printf(
        "usage: spdiff %s%s [--flag=value ...]%n%n%s%n%n",
        command.name(),
        command.positionals().isEmpty() ? "" : " " + command.positionals(),
        command.summary());
    Map<String, Method> getters = ownGetters(command.optionsClass());
    out.println("options:");
    for (Map.Entry<String, Method> e : getters.entrySet()) {
      Method m = e.getValue();
      Description d = m.getAnnotation(Description.class);
      String def = defaultOf(m);
      boolean required = m.getAnnotation(Validation.Required.class) != null;
      out.printf(
          "  --%s=<%s>%n      %s%s%n",
          e.getKey(),
          m.getReturnType().getSimpleName(),
          d == null ? "" : d.value(),
          required ? " (required)" : def == null ? "" : " (default: " + def + ")");
    }
    if (!Set.of("fid", "stats", "is", "features", "kid", "prdc", "compare")
        .contains(command.name())) {
      out.println();
      out.println("runner (Beam conventions; default: embedded Flink):");
      out.println("  --runner=FlinkRunner --flinkMaster=[local]     embedded Flink (default)");
      out.println("  --runner=FlinkRunner --flinkMaster=HOST:PORT   a Flink session cluster");
      out.println("  --runner=DirectRunner                          Beam's in-process test runner");
      out.println("  --runner=DataflowRunner --project=... --region=... --tempLocation=gs://...");
      out.println("  --parallelism=N                                Flink parallelism");
    }
  }

  /** Getters declared by {@code type} and its non-Beam super-interfaces, by flag name. */
  static Map<String, Method> ownGetters(Class<?> type) {
    Map<String, Method> out = new LinkedHashMap<>();
    List<Method> methods = new ArrayList<>();
    collect(type, methods);
    methods.sort(Comparator.comparing(Method::getName));
    for (Method m : methods) {
      String n = m.getName();
      String prop;
      if (n.startsWith("get") && n.length() > 3 && m.getParameterCount() == 0) {
        prop = n.substring(3);
      } else if (n.startsWith("is")
          && n.length() > 2
          && m.getParameterCount() == 0
          && (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class)) {
        prop = n.substring(2);
      } else {
        continue;
      }
      out.putIfAbsent(Character.toLowerCase(prop.charAt(0)) + prop.substring(1), m);
    }
    return out;
  }

  private static void collect(Class<?> type, List<Method> into) {
    if (!type.getName().startsWith("org.spdiff.")) {
      return;
    }
    into.addAll(Arrays.asList(type.getDeclaredMethods()));
    for (Class<?> s : type.getInterfaces()) {
      collect(s, into);
    }
  }

  private static String defaultOf(Method m) {
    for (Annotation a : m.getAnnotations()) {
      if (a instanceof Default.String s) {
        return s.value().isEmpty() ? "\"\"" : s.value();
      } else if (a instanceof Default.Integer i) {
        return Integer.toString(i.value());
      } else if (a instanceof Default.Long l) {
        return Long.toString(l.value());
      } else if (a instanceof Default.Double d) {
        return Double.toString(d.value());
      } else if (a instanceof Default.Float f) {
        return Float.toString(f.value());
      } else if (a instanceof Default.Boolean b) {
        return Boolean.toString(b.value());
      } else if (a instanceof Default.Enum e) {
        return e.value();
      } else if (a instanceof Default.InstanceFactory f) {
        return "computed by " + f.value().getSimpleName();
      }
    }
    return null;
  }
}
