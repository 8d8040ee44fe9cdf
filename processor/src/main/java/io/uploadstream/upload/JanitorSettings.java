package io.uploadstream.upload;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the {@link MultipartJanitor} cleans up: every {@code interval} ({@link Duration#ZERO}: never)
 * it aborts incomplete multipart uploads under {@code prefixes} (empty: the whole bucket) that have
 * been idle for more than {@code maxAge}: no part stored for that long, or, with no part, initiated
 * that long ago. {@code maxAge} must exceed the longest pause between two stored parts of an upload
 * that is still running on another instance (a part's transfer with its retries, a store outage it
 * waits out), since such an upload looks abandoned to every other instance.
 */
public record JanitorSettings(Duration interval, Duration maxAge, List<String> prefixes) {

  /**
   * Below this, a slow part or a short store outage on another instance could get its upload
   * aborted under it. Tests move the janitor's clock instead of going below it.
   */
  public static final Duration MIN_MAX_AGE = Duration.ofHours(1);

  public static final JanitorSettings DEFAULTS =
      new JanitorSettings(Duration.ofHours(1), Duration.ofHours(24), List.of());

  public JanitorSettings {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(maxAge, "maxAge");
    prefixes = List.copyOf(prefixes);
    if (interval.isNegative()) {
      throw new IllegalArgumentException("interval must be 0 (off) or positive, was " + interval);
    }
    if (maxAge.compareTo(MIN_MAX_AGE) < 0) {
      throw new IllegalArgumentException(
          "maxAge must be at least "
              + MIN_MAX_AGE
              + " (longer than any pause between two parts of an upload), was "
              + maxAge);
    }
    for (String prefix : prefixes) {
      if (prefix.isBlank()) {
        throw new IllegalArgumentException("prefixes must not be blank, was " + prefixes);
      }
    }
  }

  public boolean enabled() {
    return !interval.isZero();
  }
}
