package org.spdiff.metrics.fid;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.spdiff.metrics.WorkerThreads;
import org.spdiff.metrics.linalg.MatrixMultiplier;
import org.spdiff.metrics.stats.FeatureMatrix;
import org.spdiff.metrics.stats.FeatureMoments;
import org.spdiff.metrics.stats.FeatureStats;

/**
 * FID per class for conditional studies: the generated rows of class c (the class sample i was
 * generated for) against the reference moments of class c. Each class costs one Fréchet distance
 * ({@link FrechetDistance#computeAll}: several at a time); with n / C samples per class below d the
 * covariances are singular and every value carries that warning (finite, biased upwards, comparable
 * only between cells with the same n and C).
 */
public final class PerClassFid {
  private PerClassFid() {}

  /**
   * One Fréchet reference per class from labelled reference rows (build once per study).
   *
   * @param reference (m, d) reference rows
   * @param labels class of each reference row, length m
   * @return class -> reference, ascending class order; classes with fewer than 2 rows are skipped
   */
  public static Map<Integer, FrechetReference> references(
      FeatureMatrix reference, int[] labels, MatrixMultiplier products) {
    List<Map.Entry<Integer, int[]>> classes = new ArrayList<>();
    for (Map.Entry<Integer, int[]> e : byClass(labels, reference.rows(), "reference").entrySet()) {
      if (e.getValue().length >= 2) {
        classes.add(e);
      }
    }
    FrechetReference[] refs = new FrechetReference[classes.size()];
    // Factors are independent (and slow when a class has fewer rows than dims): in parallel.
    IntStream.range(0, refs.length)
        .parallel()
        .forEach(
            i -> {
              WorkerThreads.prepare();
              refs[i] =
                  FrechetReference.of(
                      FeatureStats.of(reference, classes.get(i).getValue(), products));
            });
    Map<Integer, FrechetReference> out = new TreeMap<>();
    for (int i = 0; i < refs.length; i++) {
      out.put(classes.get(i).getKey(), refs[i]);
    }
    return out;
  }

  /**
   * One Fréchet reference per class from per-class reference moments (e.g. read from per-class
   * {@code .npz} statistics), factored two at a time.
   *
   * @return class -> reference, ascending class order
   */
  public static Map<Integer, FrechetReference> references(Map<Integer, FeatureMoments> moments) {
    List<Map.Entry<Integer, FeatureMoments>> classes = new ArrayList<>(moments.entrySet());
    FrechetReference[] refs = new FrechetReference[classes.size()];
    IntStream.range(0, refs.length)
        .parallel()
        .forEach(
            i -> {
              WorkerThreads.prepare();
              refs[i] = FrechetReference.of(classes.get(i).getValue());
            });
    Map<Integer, FrechetReference> out = new TreeMap<>();
    for (int i = 0; i < refs.length; i++) {
      out.put(classes.get(i).getKey(), refs[i]);
    }
    return out;
  }

  /**
   * @param features generated rows (n, d)
   * @param labels the class each row was generated for, length n
   * @param references per-class references ({@link #references})
   * @return class -> FID, for every class present in {@code labels} with >= 2 rows; ascending
   * @throws IllegalArgumentException if a generated class has no reference
   */
  public static Map<Integer, FidResult> compute(
      FeatureMatrix features,
      int[] labels,
      Map<Integer, FrechetReference> references,
      MatrixMultiplier products) {
    List<Map.Entry<Integer, int[]>> classes = new ArrayList<>();
    for (Map.Entry<Integer, int[]> e : byClass(labels, features.rows(), "generated").entrySet()) {
      if (e.getValue().length < 2) {
        continue;
      }
      if (!references.containsKey(e.getKey())) {
        throw new IllegalArgumentException(
            "class " + e.getKey() + " has generated samples but no reference statistics");
      }
      classes.add(e);
    }
    FidResult[] r =
        FrechetDistance.computeAll(
            classes.size(),
            i -> references.get(classes.get(i).getKey()),
            i -> FeatureStats.of(features, classes.get(i).getValue(), products));
    Map<Integer, FidResult> out = new TreeMap<>();
    for (int i = 0; i < r.length; i++) {
      out.put(classes.get(i).getKey(), r[i]);
    }
    return out;
  }

  /** Row indices per class label, ascending. */
  static Map<Integer, int[]> byClass(int[] labels, int rows, String which) {
    if (labels.length != rows) {
      throw new IllegalArgumentException(
          labels.length + " labels for " + rows + " " + which + " rows");
    }
    Map<Integer, Integer> count = new TreeMap<>();
    for (int l : labels) {
      count.merge(l, 1, Integer::sum);
    }
    Map<Integer, int[]> out = new TreeMap<>();
    Map<Integer, Integer> fill = new TreeMap<>();
    for (Map.Entry<Integer, Integer> e : count.entrySet()) {
      out.put(e.getKey(), new int[e.getValue()]);
      fill.put(e.getKey(), 0);
    }
    for (int i = 0; i < labels.length; i++) {
      int f = fill.get(labels[i]);
      out.get(labels[i])[f] = i;
      fill.put(labels[i], f + 1);
    }
    return out;
  }
}
