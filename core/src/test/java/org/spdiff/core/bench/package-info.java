/** Throughput harnesses, tagged {@code bench} and excluded from normal test runs. */
package org.spdiff.core.bench;
