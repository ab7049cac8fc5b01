package org.spdiff.metrics.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Inception Score per class for conditional studies: the logits of the samples generated for class
 * c, scored by {@link InceptionScore} (torch-fidelity's estimator) on their own. Within one class
 * the marginal p(y) is concentrated, so per-class IS is near 1 for a faithful conditional model and
 * rises when samples of class c are classified as many classes: it measures the class-conditional
 * spread, not the overall IS.
 */
public final class PerClassInceptionScore {
  private PerClassInceptionScore() {}

  /**
   * @param logits (n, C) logits
   * @param labels the class each sample was generated for, length n
   * @param splits splits per class, clipped to the class's sample count (with a warning)
   * @param seed the shuffle seed (torch-fidelity: 2020)
   * @return class -> IS split score, ascending class order
   */
  public static Map<Integer, SplitScore> compute(
      double[][] logits, int[] labels, int splits, long seed) {
    if (labels.length != logits.length) {
      throw new IllegalArgumentException(
          labels.length + " labels for " + logits.length + " logit rows");
    }
    Map<Integer, List<double[]>> rows = new TreeMap<>();
    for (int i = 0; i < labels.length; i++) {
      rows.computeIfAbsent(labels[i], c -> new ArrayList<>()).add(logits[i]);
    }
    Map<Integer, SplitScore> out = new TreeMap<>();
    for (Map.Entry<Integer, List<double[]>> e : rows.entrySet()) {
      int n = e.getValue().size();
      int k = Math.min(splits, n);
      SplitScore s = InceptionScore.compute(e.getValue().toArray(double[][]::new), k, true, seed);
      if (k < splits) {
        List<String> w = new ArrayList<>(s.warnings());
        w.add("class " + e.getKey() + " has " + n + " samples: splits clipped to " + k);
        s = new SplitScore(s.mean(), s.std(), s.values(), w);
      }
      out.put(e.getKey(), s);
    }
    return out;
  }
}
