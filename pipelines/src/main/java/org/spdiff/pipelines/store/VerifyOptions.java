package org.spdiff.pipelines.store;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Flags of {@code spdiff verify}. */
public interface VerifyOptions extends PipelineOptions {

  @Description(
      "Move every damaged key (and every key whose recorded upstream content changed) to"
          + " STORE/_quarantine/<stage>/<key>-<time>, so the next run recomputes it (local stores)")
  @Default.Boolean(false)
  boolean getQuarantine();

  void setQuarantine(boolean value);
}
