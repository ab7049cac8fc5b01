/** Offline checks of the Dataflow launch script in {@code infra/dataflow/}. */
package org.spdiff.infra.dataflow;
