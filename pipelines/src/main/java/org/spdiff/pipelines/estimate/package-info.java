/**
 * What a study will cost before it starts ({@code spdiff run EXP --planOnly=true}): the workloads a
 * plan needs ({@link org.spdiff.pipelines.estimate.Workload}), a short calibration that measures
 * each on this machine ({@link org.spdiff.pipelines.estimate.Calibrator}), cached per machine in
 * the user's cache folder ({@link org.spdiff.pipelines.estimate.CalibrationCache}), and the pure
 * arithmetic that turns measured rates and the plan into per-stage and total wall times ({@link
 * org.spdiff.pipelines.estimate.StudyEstimator}).
 */
package org.spdiff.pipelines.estimate;
