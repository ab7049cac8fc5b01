package org.spdiff.pipelines.prepare;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Combine;

/** Collects every element into one list (for the small summaries the commit step needs). */
final class CollectFn<T> extends Combine.CombineFn<T, List<T>, List<T>> {
  @Override
  public List<T> createAccumulator() {
    return new ArrayList<>();
  }

  @Override
  public List<T> addInput(List<T> acc, T input) {
    acc.add(input);
    return acc;
  }

  @Override
  public List<T> mergeAccumulators(Iterable<List<T>> accs) {
    List<T> out = new ArrayList<>();
    accs.forEach(out::addAll);
    return out;
  }

  @Override
  public List<T> extractOutput(List<T> acc) {
    return acc;
  }

  @Override
  public Coder<List<T>> getAccumulatorCoder(CoderRegistry registry, Coder<T> inputCoder)
      throws CannotProvideCoderException {
    return ListCoder.of(inputCoder);
  }

  @Override
  public Coder<List<T>> getDefaultOutputCoder(CoderRegistry registry, Coder<T> inputCoder)
      throws CannotProvideCoderException {
    return ListCoder.of(inputCoder);
  }
}
