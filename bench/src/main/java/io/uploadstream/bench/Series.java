package io.uploadstream.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The measured values of one contender in one case (one value per alternation), summarised as
 * median, min and max. {@code notes} carries what explains the number (CPU per run, latency).
 */
record Series(String caseName, String contender, String unit, List<Double> values, String notes) {
  Series {
    Objects.requireNonNull(caseName, "caseName");
    Objects.requireNonNull(contender, "contender");
    Objects.requireNonNull(unit, "unit");
    values = List.copyOf(values);
    notes = notes == null ? "" : notes;
  }

  double median() {
    return percentile(values, 50);
  }

  double min() {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  double max() {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /** Nearest-rank percentile (p in 0..100) of {@code values}; NaN when empty. */
  static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    if (p == 50 && sorted.size() % 2 == 0) {
      int upper = sorted.size() / 2;
      return (sorted.get(upper - 1) + sorted.get(upper)) / 2;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
