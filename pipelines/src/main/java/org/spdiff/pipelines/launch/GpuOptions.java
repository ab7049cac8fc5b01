package org.spdiff.pipelines.launch;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Which accelerator the GPU stages (training, generation, feature extraction) ask for. */
public interface GpuOptions extends PipelineOptions {
  @Description(
      "Accelerator for the GPU stages as a Beam resource hint, in Dataflow's syntax, e.g."
          + " \"type:nvidia-l4;count:1;install-nvidia-driver\". Empty: no hint (CPU everywhere)."
          + " Runners without accelerator support (Flink, Direct) ignore it.")
  @Default.String("")
  String getGpuAccelerator();

  void setGpuAccelerator(String value);

  @Description(
      "Minimum worker RAM for the GPU stages as a Beam resource hint, e.g. \"16GiB\" or \"24GB\"."
          + " Empty: no hint.")
  @Default.String("")
  String getGpuMinRam();

  void setGpuMinRam(String value);
}
