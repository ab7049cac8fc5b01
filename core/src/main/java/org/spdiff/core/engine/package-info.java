/**
 * Process- and thread-level facts of the PyTorch engine that the rest of core relies on: per-thread
 * grad mode and thread count ({@link org.spdiff.core.engine.GradMode}), and arrays kept in libtorch
 * memory so that a garbage collection cannot change a gradient ({@link
 * org.spdiff.core.engine.NativeArrays}).
 */
package org.spdiff.core.engine;
