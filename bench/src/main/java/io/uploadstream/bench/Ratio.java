package io.uploadstream.bench;

/**
 * A target of the issue: {@code value} (medians divided) against the bar it must reach ({@code
 * target}, NaN for a figure shown for information) and the one we aim for ({@code aim}, NaN if
 * none). A yes/no check is 1 for yes and 0 for no, with target 1.
 */
record Ratio(String name, double value, double target, double aim, String definition) {
  boolean met() {
    return value >= target;
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
