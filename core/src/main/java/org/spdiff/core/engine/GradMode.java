package org.spdiff.core.engine;

import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's grad mode is thread-local and on by default for a new thread; DJL turns it off only on
 * the thread that starts the engine. Beam and Flink run DoFns on their own worker threads, where it
 * would be on outside any GradientCollector: inference would record graphs and an optimizer's
 * in-place update of a parameter would fail ("a leaf Variable that requires grad is being used in
 * an in-place operation"). Every entry point that runs the network calls {@link #offOnThisThread}.
 */
public final class GradMode {
  private GradMode() {}

  /** Turns grad mode off for the calling thread (a GradientCollector turns it on while open). */
  public static void offOnThisThread() {
    JniUtils.setGradMode(false);
  }
}
