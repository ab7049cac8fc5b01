package org.spdiff.pipelines.dag;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.spdiff.pipelines.launch.GpuOptions;

/** Flags of {@code spdiff run|train|sample|score|report EXPERIMENT}. */
public interface ExperimentOptions extends PipelineOptions, GpuOptions {

  @Description("Artifact store root, a local path or gs://; overrides the experiment's 'store'")
  @Default.String("")
  String getStore();

  void setStore(String value);

  @Description("Print the plan (stages, content keys, which are complete) and exit without work")
  @Default.Boolean(false)
  boolean isPlanOnly();

  void setPlanOnly(boolean value);

  @Description(
      "With --planOnly: estimate each stage's time on this machine from a short calibration"
          + " (measured once per machine and model, cached in --cacheDir)")
  @Default.Boolean(true)
  boolean isEstimate();

  void setEstimate(boolean value);

  @Description("With --planOnly: measure every workload again instead of using the cache")
  @Default.Boolean(false)
  boolean isRecalibrate();

  void setRecalibrate(boolean value);

  @Description("Cache for calibrations; empty: $SPDIFF_CACHE_DIR, else ~/.cache/spdiff")
  @Default.String("")
  String getCacheDir();

  void setCacheDir(String value);

  @Description(
      "libtorch intra-op threads per worker thread; 0 = the machine's cores divided by the"
          + " parallelism of the embedded runner")
  @Default.Integer(0)
  int getThreadsPerWorker();

  void setThreadsPerWorker(int value);
}
