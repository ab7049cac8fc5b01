/** Process- and thread-level facts of the PyTorch engine that the rest of core relies on. */
package org.spdiff.core.engine;
