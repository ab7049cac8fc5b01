/**
 * The experiment file: typed, fully validated specs of a study ({@link
 * org.spdiff.pipelines.experiment.ExperimentSpec}), read from YAML or JSON by {@link
 * org.spdiff.pipelines.experiment.ExperimentFiles}, with sweep shorthand expanded into variants. A
 * wrong field fails with its path and the reason before any work starts.
 */
package org.spdiff.pipelines.experiment;
