package org.spdiff.pipelines.estimate;

import java.util.Map;
import org.spdiff.pipelines.experiment.ExperimentSpec;
import org.spdiff.pipelines.prepare.SourcePlan;
import org.spdiff.pipelines.prepare.SourcePlanner;
import org.spdiff.pipelines.stages.PrepareStage;

/**
 * How many images a study prepares and trains on, read from the input's headers (IDX counts,
 * CIFAR-10 file sizes, image files) without preparing anything.
 *
 * @param train images in the training split (after {@code data.limit}): the teacher's data, the
 *     domain classifier's and the reference statistics'
 * @param all images of every split (what the prepare stage converts)
 * @param note how the counts were found
 */
public record DataCounts(long train, long all, String note) {

  /** CIFAR-10's training split: the assumption for inputs that cannot be read from here. */
  static final long UNREADABLE_DEFAULT = 50_000;

  /** The counts of {@code spec}'s data, or an assumption (named in the note) when unreadable. */
  public static DataCounts of(ExperimentSpec spec) {
    try {
      SourcePlan plan =
          SourcePlanner.plan(PrepareStage.config(spec.data(), "unused-by-the-estimate"));
      Map<String, Long> planned = plan.planned();
      long train = planned.getOrDefault("train", 0L);
      long all = planned.values().stream().mapToLong(Long::longValue).sum();
      return new DataCounts(train, all, "counted from the input's headers");
    } catch (RuntimeException e) {
      long n = spec.data().limit() > 0 ? spec.data().limit() : UNREADABLE_DEFAULT;
      return new DataCounts(
          n, n, "input not readable from here (" + e.getMessage() + "): " + n + " assumed");
    }
  }
}
