package io.uploadstream.bench;

/**
 * A target of the issue: {@code value} (medians divided) against the bar it must reach ({@code
 * target}, NaN for a figure shown for information) and the one we aim for ({@code aim}, NaN if
 * none). A yes/no check is 1 for yes and 0 for no, with target 1. With {@code atMost} the value
 * must stay at or below the target instead (a latency, a cost per file).
 */
record Ratio(
    String name, double value, double target, double aim, String definition, boolean atMost) {

  Ratio(String name, double value, double target, double aim, String definition) {
    this(name, value, target, aim, definition, false);
  }

  /** A figure that must stay at or below {@code limit} (a latency, a cost). */
  static Ratio atMost(String name, double value, double limit, String definition) {
    return new Ratio(name, value, limit, Double.NaN, definition, true);
  }

  boolean met() {
    return atMost ? value <= target : value >= target;
  }

  String verdict() {
    if (Double.isNaN(value)) {
      return "not measured";
    }
    if (Double.isNaN(target)) {
      return "info";
    }
    if (!met()) {
      return "MISSED";
    }
    return !Double.isNaN(aim) && value < aim ? "met (below aim)" : "met";
  }
}
