package org.spdiff.pipelines.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything a score depends on besides the model: how many samples, against which reference, with
 * which features, how they were sampled and which estimators with which parameters. Two cells are
 * comparable only when their cards agree in everything but the {@link #VARIANT_FIELDS} (the arm and
 * its training replicate).
 *
 * @param samples N, generated images scored
 * @param referenceSplit the real data the reference statistics come from (e.g. {@code train})
 * @param referenceCount real images in the reference statistics
 * @param referenceKey the reference statistics' store key
 * @param prdcReferenceCount size of the seeded reference subset of
 *     precision/recall/density/coverage
 * @param featureNetwork id of the feature network (includes its weights' hash)
 * @param resize how images reach the feature network's resolution
 * @param sampler solver name
 * @param steps solver steps
 * @param spacing timestep spacing
 * @param eta DDIM stochasticity
 * @param precision the network's float type during generation ({@code fp32}, {@code bf16}, {@code
 *     fp16})
 * @param evaluations network evaluations per image (the solver's NFE, times 2 with CFG)
 * @param cfgScale classifier-free guidance scale (0 = off)
 * @param guidanceRescale phi of Lin et al. 2023 (0 = off)
 * @param clipX0 x0 clipped to [-1, 1] at every step
 * @param ema sampled from the EMA weights
 * @param generationSeed sample i draws its noise from (generationSeed, i)
 * @param classes the model's conditional classes, 0 = an unconditional model
 * @param labels what each sample of a conditional model was given: {@code class} (sample i has
 *     class i mod classes) or {@code none} (the null class); {@code class} on cards written before
 *     the field existed
 * @param teacherSeed training seed of the teacher
 * @param estimators each estimator's name and parameters (FID splits, IS splits and seed, KID
 *     subsets, k of precision/recall and of density/coverage, FID-infinity grid)
 * @param variant the arm (may differ between compared cells)
 * @param objective the arm's objective (may differ)
 * @param replicate the arm's training replicate (may differ)
 * @param trainingSeed the replicate's training seed (may differ)
 * @param modelKey the trained model's store key (may differ)
 */
public record EvaluationCard(
    int samples,
    String referenceSplit,
    long referenceCount,
    String referenceKey,
    int prdcReferenceCount,
    String featureNetwork,
    String resize,
    String sampler,
    int steps,
    String spacing,
    double eta,
    String precision,
    int evaluations,
    double cfgScale,
    double guidanceRescale,
    boolean clipX0,
    boolean ema,
    long generationSeed,
    int classes,
    String labels,
    long teacherSeed,
    Map<String, Object> estimators,
    String variant,
    String objective,
    int replicate,
    long trainingSeed,
    String modelKey)
    implements Serializable {

  public EvaluationCard {
    labels = labels == null ? "class" : labels;
  }

  /**
   * The fields that say which arm and replicate a cell is: they may differ between compared cells.
   */
  public static final Set<String> VARIANT_FIELDS =
      Set.of("variant", "objective", "replicate", "trainingSeed", "modelKey");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** The card as a sorted map of field name to value (nested maps for the estimators). */
  @SuppressWarnings("unchecked")
  public Map<String, Object> asMap() {
    return new TreeMap<String, Object>(JSON.convertValue(this, Map.class));
  }

  /**
   * The fields outside {@link #VARIANT_FIELDS} in which {@code other} differs from this card, each
   * as {@code field: this value vs other value}; empty when the two cells may be compared.
   */
  public List<String> differences(EvaluationCard other) {
    Map<String, Object> a = flat(asMap(), "");
    Map<String, Object> b = flat(other.asMap(), "");
    java.util.SortedSet<String> fields = new java.util.TreeSet<>(a.keySet());
    fields.addAll(b.keySet());
    List<String> out = new ArrayList<>();
    for (String f : fields) {
      if (VARIANT_FIELDS.contains(f)) {
        continue;
      }
      if (!Objects.equals(a.get(f), b.get(f))) {
        out.add(f + ": " + a.get(f) + " vs " + b.get(f));
      }
    }
    return out;
  }

  /** Nested maps flattened to {@code outer.inner} keys. */
  private static Map<String, Object> flat(Map<?, ?> m, String prefix) {
    Map<String, Object> out = new TreeMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String k = prefix + e.getKey();
      if (e.getValue() instanceof Map<?, ?> inner) {
        out.putAll(flat(inner, k + "."));
      } else {
        out.put(k, e.getValue());
      }
    }
    return out;
  }
}
