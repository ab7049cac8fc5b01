package org.spdiff.pipelines.stages;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.spdiff.pipelines.dag.Plan;
import org.spdiff.pipelines.dag.Plan.Cell;
import org.spdiff.pipelines.report.CellScore;
import org.spdiff.pipelines.store.ArtifactStore;

/**
 * Every cell's score: the gathered features of the cells generated now are scored (FID, IS, KID,
 * precision/recall/density/coverage, FID-infinity, per class) against the reference; the cells
 * already scored in the store are read back. Output: one {@link CellScore} per cell of the plan.
 */
public final class ScoreCells
    extends PTransform<PCollection<KV<String, List<ShardFeatures>>>, PCollection<CellScore>> {
  private final Plan plan;
  private final ArtifactStore store;
  private final PCollectionView<String> reference;
  private final Set<String> scored;

  private ScoreCells(
      Plan plan, ArtifactStore store, PCollectionView<String> reference, Set<String> scored) {
    this.plan = plan;
    this.store = store;
    this.reference = reference;
    this.scored = scored;
  }

  /**
   * @param reference the completed reference statistics stage (a side input)
   * @param scored score keys complete in the store when the pipeline was built
   */
  public static ScoreCells of(
      Plan plan, ArtifactStore store, PCollectionView<String> reference, Set<String> scored) {
    return new ScoreCells(plan, store, reference, Set.copyOf(scored));
  }

  @Override
  public PCollection<CellScore> expand(PCollection<KV<String, List<ShardFeatures>>> features) {
    PCollection<CellScore> computed =
        features
            .apply(
                "Score",
                ParDo.of(new ScoreStage.ScoreCellFn(plan, store, reference))
                    .withSideInputs(reference))
            .setCoder(SerializableCoder.of(CellScore.class));
    List<CellScore> cached = new ArrayList<>();
    for (Cell cell : plan.cells()) {
      if (scored.contains(cell.scoreKey())) {
        try {
          cached.add(ScoreStage.cached(store, cell));
        } catch (IOException e) {
          throw new IllegalStateException("cannot read the stored score of " + cell.label(), e);
        }
      }
    }
    PCollection<CellScore> fromStore =
        features
            .getPipeline()
            .apply(
                "StoredScores", Create.of(cached).withCoder(SerializableCoder.of(CellScore.class)))
            .apply("CountCached", ParDo.of(new StageCounters.CountCachedFn<CellScore>(Plan.SCORE)))
            .setCoder(SerializableCoder.of(CellScore.class));
    return PCollectionList.of(computed).and(fromStore).apply("AllScores", Flatten.pCollections());
  }
}
