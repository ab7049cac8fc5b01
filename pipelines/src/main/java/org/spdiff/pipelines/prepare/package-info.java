/**
 * The Prepare stage: raw data sets to deterministic, training-ready record shards.
 *
 * <p><b>Use from another pipeline</b> (the experiment DAG): {@code pipeline.apply("Prepare",
 * Prepare.of(PrepareConfig.of(input, output).withLimit(n)))} gives a {@code PCollection<String>}
 * holding the manifest path once the output is committed; {@link
 * org.spdiff.pipelines.prepare.Prepare#of} validates the input when the pipeline is built (throws
 * {@link org.spdiff.pipelines.cli.UsageException}). Read results with {@link
 * org.spdiff.pipelines.prepare.records.RecordShards}.
 *
 * <p><b>Sources</b> ({@link org.spdiff.pipelines.prepare.SourcePlanner}): IDX folders ({@code
 * train} and {@code t10k} files both required; gzip detected by magic), image folders (PNG/JPEG;
 * the first sub-folder is the class, classes sorted by name; files at the top are unlabelled;
 * hidden files skipped; index = position in the sorted relative paths), CIFAR-10 binary batches
 * ({@code data_batch_1..k.bin} then {@code test_batch.bin}; names from {@code batches.meta.txt},
 * else "0".."9"; a label outside the names is a {@code bad-label} dead letter).
 *
 * <p><b>Pixels</b> ({@link org.spdiff.pipelines.prepare.ImageDecoder}, {@link
 * org.spdiff.pipelines.prepare.ImageOps}): alpha composited on white; 16-bit scaled with {@code
 * round(v*255/65535)}; channels converted (BT.601 luma or gray replicated) at native size, then a
 * centred square crop, then area-average shrink or bilinear enlarge to {@code resolution}: never
 * padding. Equal sizes are a no-op (IDX at 28).
 *
 * <p><b>Output</b>: {@code records/<split>-SSSSS-of-NNNNN.tfrecord} (TFRecord framing, SPDR v1
 * payload, pixels CHW: see {@link org.spdiff.pipelines.prepare.records.RecordFormat}); record
 * {@code i} of a split of {@code n} goes to shard {@code floor(i*shards/n)}, shards are sorted by
 * index, so reading shards in order gives the input order; {@code dead-letters/dead-letters.jsonl}
 * (source, reason, error, size, first 64 bytes base64; sorted by source); {@code manifest.json}
 * ({@link org.spdiff.pipelines.prepare.PrepareManifest}), written last. Runs write into {@code
 * <output>/.tmp-<uuid>/} and move files into place in the commit step; an output is complete only
 * when {@code manifest.json} exists. The bytes depend only on the input and the config (not on the
 * runner, parallelism, retries or output path).
 *
 * <p><b>Dead-letter reasons</b>: {@link org.spdiff.pipelines.prepare.DeadLetterReason}; each is
 * also a Beam counter {@code spdiff.prepare/deadLetters_<reason>} (and {@code records} counts
 * converted records).
 */
package org.spdiff.pipelines.prepare;
