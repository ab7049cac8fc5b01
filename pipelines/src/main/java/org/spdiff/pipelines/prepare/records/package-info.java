/**
 * The prepared record format: {@link org.spdiff.pipelines.prepare.records.ImageRecord} (CHW uint8),
 * its bytes ({@link org.spdiff.pipelines.prepare.records.RecordFormat}: TFRecord framing around an
 * {@code SPDR} v1 payload) and readers of a prepared directory ({@link
 * org.spdiff.pipelines.prepare.records.RecordShards}: {@code readSplit(dir, split)} into a core
 * {@code ImageSet}, {@code read(dir, split)} as a Beam source).
 */
package org.spdiff.pipelines.prepare.records;
