package org.spdiff.metrics;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch keeps grad mode and the intra-op thread count per thread, and DJL sets them only on the
 * thread that starts the engine. Feature networks run on Beam/Flink worker threads, so each entry
 * point sets both for the calling thread: grad mode off (inference records no graph) and {@code
 * ai.djl.pytorch.num_threads} threads (the same reductions, hence the same bits, whichever thread
 * runs it). Mirrors {@code org.spdiff.core.engine.GradMode}; metrics does not depend on core.
 */
public final class WorkerThreads {
  private WorkerThreads() {}

  public static void prepare() {
    Engine.getEngine("PyTorch");
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
