/**
 * The experiment's stages as Beam DoFns and composite transforms, one file per stage, plus the
 * adapters they share (the store as a checkpoint store, cached data and feature networks). Each
 * stage checks its key first: a complete key is read back, not recomputed. The maths lives in
 * {@code core} and {@code metrics}; these classes move data and call it.
 */
package org.spdiff.pipelines.stages;
