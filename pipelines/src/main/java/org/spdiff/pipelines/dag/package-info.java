/**
 * The experiment DAG: the {@link org.spdiff.pipelines.dag.Plan} of stages with content keys, the
 * stage transforms (prepare, feature network, reference statistics, teacher, variants, generation,
 * scoring, report) and {@link org.spdiff.pipelines.dag.ExperimentPipeline}, which wires them into
 * one Beam pipeline.
 */
package org.spdiff.pipelines.dag;
