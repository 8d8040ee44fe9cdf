package io.uploadstream.upload;

import java.time.Duration;
import java.util.Objects;

/**
 * How a failed part is retried: exponential backoff from {@code initialBackoff}, times {@code
 * multiplier} per attempt, capped at {@code maxBackoff}, randomised by {@code jitterFactor} (0.5 =
 * ±50%). {@code maxAttempts} counts the first try.
 */
public record RetrySettings(
    int maxAttempts,
    Duration initialBackoff,
    double multiplier,
    Duration maxBackoff,
    double jitterFactor) {

  public static final RetrySettings DEFAULTS =
      new RetrySettings(8, Duration.ofMillis(200), 2.0, Duration.ofSeconds(10), 0.5);

  public RetrySettings {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException("initialBackoff must be positive, was " + initialBackoff);
    }
    if (multiplier < 1.0) {
      throw new IllegalArgumentException("multiplier must be at least 1.0, was " + multiplier);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff ("
              + maxBackoff
              + ") must not be below initialBackoff ("
              + initialBackoff
              + ")");
    }
    if (jitterFactor < 0.0 || jitterFactor >= 1.0) {
      throw new IllegalArgumentException("jitterFactor must be in [0, 1), was " + jitterFactor);
    }
  }
}
