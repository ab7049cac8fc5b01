package org.spdiff.pipelines.report;

import java.io.Serializable;
import java.util.List;

/** A training run's loss by step, for the report's plots. */
public record LossCurve(String name, List<Integer> steps, List<Double> losses)
    implements Serializable {

  /** Parses the {@code loss.csv} a training stage writes ({@code step,loss} per line). */
  public static LossCurve parseCsv(String name, String csv) {
    java.util.ArrayList<Integer> steps = new java.util.ArrayList<>();
    java.util.ArrayList<Double> losses = new java.util.ArrayList<>();
    for (String line : csv.split("\n")) {
      String[] p = line.trim().split(",");
      if (p.length < 2 || !p[0].matches("\\d+")) {
        continue;
      }
      steps.add(Integer.parseInt(p[0]));
      losses.add(Double.parseDouble(p[1]));
    }
    return new LossCurve(name, List.copyOf(steps), List.copyOf(losses));
  }
}
