package org.spdiff.pipelines.stages;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.report.CellScore;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * The final step: every cell's score and every comparison against the control in, the report out
 * ({@code table.md}, {@code table.csv}, {@code scores.json}, {@code report.html}); one element, the
 * report's folder.
 */
public final class WriteReport extends PTransform<PCollection<CellScore>, PCollection<String>> {
  private final Plan plan;
  private final ArtifactStore store;

  private WriteReport(Plan plan, ArtifactStore store) {
    this.plan = plan;
    this.store = store;
  }

  public static WriteReport of(Plan plan, ArtifactStore store) {
    return new WriteReport(plan, store);
  }

  @Override
  public PCollection<String> expand(PCollection<CellScore> scores) {
    return scores
        .apply("OneReport", WithKeys.of("report"))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(CellScore.class)))
        .apply("GatherScores", GroupByKey.create())
        .apply("Write", ParDo.of(new ReportStage.ReportFn(plan, store)));
  }
}
