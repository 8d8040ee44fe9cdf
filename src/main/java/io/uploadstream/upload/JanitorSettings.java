package io.uploadstream.upload;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the {@link MultipartJanitor} cleans up: every {@code interval} ({@link Duration#ZERO}: never)
 * it aborts incomplete multipart uploads initiated more than {@code maxAge} ago under {@code
 * prefixes} (empty: the whole bucket). {@code maxAge} must exceed the longest upload any instance
 * may run, since another instance's uploads in flight look abandoned to this one.
 */
public record JanitorSettings(Duration interval, Duration maxAge, List<String> prefixes) {

  /** Below this, a slow upload of another instance could be aborted under it. */
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
          "maxAge must be at least " + MIN_MAX_AGE + " (longer than any upload), was " + maxAge);
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
