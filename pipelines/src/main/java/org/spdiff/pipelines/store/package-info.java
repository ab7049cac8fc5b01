/**
 * The content-addressed artifact store: every stage's output lives under {@code
 * <store>/<stage>/<key>/}, each file written by temp-then-rename, and a key is complete once its
 * marker {@code _COMPLETE.json} exists. The marker records every file's size and SHA-256 and the
 * content hashes of the upstream keys the stage consumed; reads of a complete key are checked
 * against it ({@link org.spdiff.pipelines.store.DamagedArtifactException} names the file).
 * Single-place stages compute into a private {@link org.spdiff.pipelines.store.Attempt} folder and
 * publish it atomically (first publisher wins). {@code spdiff verify} ({@link
 * org.spdiff.pipelines.store.VerifyCommand}) checks a whole store and quarantines damaged keys.
 * Paths go through Beam {@code FileSystems}, so local and {@code gs://} stores behave alike.
 */
package org.spdiff.pipelines.store;
