/**
 * Process- and thread-level facts of the PyTorch engine that the rest of core relies on: per-thread
 * grad mode and thread count ({@link org.spdiff.core.engine.GradMode}), arrays kept in libtorch
 * memory so that a garbage collection cannot change a gradient ({@link
 * org.spdiff.core.engine.NativeArrays}), and TorchScript programs written from Java for what DJL's
 * bindings lack, such as bfloat16 ({@link org.spdiff.core.engine.TorchScriptArchive}).
 */
package org.spdiff.core.engine;
