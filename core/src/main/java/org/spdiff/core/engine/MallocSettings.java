package org.spdiff.core.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The glibc malloc environment libtorch needs on CPU, and a warning when a JVM was started without
 * it.
 *
 * <p>libtorch allocates every tensor through malloc. Under glibc's defaults a large tensor (above
 * 32 MiB at most) is a fresh {@code mmap}: page-faulted and zeroed on first touch, unmapped on
 * free, so every forward pays for its activations again. {@code MALLOC_MMAP_MAX_=0} and a large
 * {@code MALLOC_TRIM_THRESHOLD_} keep them on malloc's heap for reuse, but only in the main arena:
 * a JVM runs no code on the process's first thread, so with a second arena every Java thread
 * allocates from it, its heaps are capped at 64 MiB, and glibc maps anything larger anyway. Hence
 * {@code MALLOC_ARENA_MAX=1}. Measured (README "Benchmarks", 2026-12-02): DDIM on the {@code bench}
 * UNet at batch 256 ran at 2.1-3.1 images/s with 2 arenas (about 130,000 page faults per forward)
 * and 7.1-8.3 with 1.
 *
 * <p>{@code GLIBC_TUNABLES=glibc.malloc.hugetlb=1} (glibc 2.35+) also asks for transparent huge
 * pages, so that a heap's first growth faults 2 MiB at a time (the first shard of a generation-only
 * run: 19 images/s without it, 40 with it); it is recommended, not required by {@link #warning}.
 *
 * <p>{@code bin/env.sh} sets all of them for {@code bin/spdiff}, {@code make} and the loopback
 * Flink TaskManagers; the worker images set them too.
 */
public final class MallocSettings {
  private MallocSettings() {}

  /** The settings {@link #warning} requires, as {@code bin/env.sh} exports them. */
  public static final Map<String, String> RECOMMENDED =
      Map.of(
          "MALLOC_ARENA_MAX", "1",
          "MALLOC_MMAP_MAX_", "0",
          "MALLOC_TRIM_THRESHOLD_", "8589934592");

  /** Every variable of the malloc environment that changes libtorch's speed, in a fixed order. */
  static final List<String> VARIABLES =
      List.of("MALLOC_ARENA_MAX", "MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES");

  /**
   * {@code env}'s values of {@link #VARIABLES}, {@code /}-separated, {@code -} for unset: what a
   * measurement of speed was taken under.
   */
  public static String describe(Map<String, String> env) {
    StringBuilder b = new StringBuilder();
    for (String k : VARIABLES) {
      String v = env.get(k);
      b.append(b.length() == 0 ? "" : "/").append(v == null ? "-" : v);
    }
    return b.toString();
  }

  /**
   * A one-line warning when {@code env} lacks the settings on Linux (where glibc reads them), or
   * empty when they are in place or the platform is not Linux.
   */
  public static Optional<String> warning(Map<String, String> env, String osName) {
    if (osName == null || !osName.toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      return Optional.empty();
    }
    StringBuilder missing = new StringBuilder();
    if (!"1".equals(env.get("MALLOC_ARENA_MAX"))) {
      missing.append(" MALLOC_ARENA_MAX=1 (is ").append(env.get("MALLOC_ARENA_MAX")).append(')');
    }
    if (!"0".equals(env.get("MALLOC_MMAP_MAX_"))) {
      missing.append(" MALLOC_MMAP_MAX_=0 (is ").append(env.get("MALLOC_MMAP_MAX_")).append(')');
    }
    if (env.get("MALLOC_TRIM_THRESHOLD_") == null) {
      missing
          .append(" MALLOC_TRIM_THRESHOLD_=")
          .append(RECOMMENDED.get("MALLOC_TRIM_THRESHOLD_"))
          .append(" (unset)");
    }
    if (missing.length() == 0) {
      return Optional.empty();
    }
    return Optional.of(
        "warning: libtorch's large tensors will be mapped and page-faulted on every allocation"
            + " (CPU sampling at large batch 2-3x slower); start through bin/spdiff, or export"
            + missing);
  }

  /** {@link #warning} for this process. */
  public static Optional<String> warningForThisProcess() {
    return warning(System.getenv(), System.getProperty("os.name"));
  }
}
