package org.spdiff.core.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Per-thread state of libtorch that worker threads must set themselves.
 *
 * <ul>
 *   <li>Grad mode is thread-local and on by default for a new thread; DJL turns it off only on the
 *       thread that starts the engine. Beam and Flink run DoFns on their own worker threads, where
 *       it would be on outside any GradientCollector: inference would record graphs and an
 *       optimizer's in-place update of a parameter would fail ("a leaf Variable that requires grad
 *       is being used in an in-place operation").
 *   <li>The intra-op thread count (OpenMP) is also per thread: DJL applies {@code
 *       ai.djl.pytorch.num_threads} only on the engine's first thread, other threads use all cores.
 *       Reductions split differently with a different thread count, so the same training run would
 *       give different bits depending on which worker thread ran it.
 * </ul>
 *
 * Every entry point that runs a network calls {@link #offOnThisThread}.
 */
public final class GradMode {
  private GradMode() {}

  /** Grad mode off and the configured intra-op thread count, for the calling thread. */
  public static void offOnThisThread() {
    Engine.getEngine("PyTorch"); // loads the native library before the first JNI call
    JniUtils.setGradMode(false);
    String threads = System.getProperty("ai.djl.pytorch.num_threads");
    if (threads != null && !threads.isBlank()) {
      int n = Integer.parseInt(threads.trim());
      if (JniUtils.getNumThreads() != n) {
        JniUtils.setNumThreads(n);
      }
    }
  }
}
