/**
 * Runner helpers for running spdiff pipelines elsewhere than the embedded Flink: GPU resource hints
 * for the GPU stages ({@link org.spdiff.pipelines.launch.GpuHints}), an offline Dataflow dry run
 * that builds the Dataflow job graph without contacting Google Cloud ({@link
 * org.spdiff.pipelines.launch.DataflowDryRun}), and a small DJL pipeline that checks a cluster
 * deployment end to end ({@link org.spdiff.pipelines.launch.ClusterSmokePipeline}).
 */
package org.spdiff.pipelines.launch;
