/**
 * The content-addressed artifact store: every stage writes under {@code <store>/<stage>/<key>/},
 * each file by temp-then-rename, and marks the key complete last with a create-if-absent marker.
 * Paths go through Beam {@code FileSystems}, so local and {@code gs://} stores behave alike.
 */
package org.spdiff.pipelines.store;
