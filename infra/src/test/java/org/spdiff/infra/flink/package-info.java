/**
 * Integration tests of the loopback Flink session cluster that {@code infra/flink/flink-up.sh}
 * starts: a real Beam pipeline on two TaskManager processes, and recovery after one is killed.
 */
package org.spdiff.infra.flink;
