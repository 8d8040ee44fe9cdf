package io.uploadstream.processor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When the share-group members stop, shared by all of them: once {@link #request}ed they take no
 * new record, and uploads still running when the shutdown grace is over are given up (their records
 * released, their multipart uploads kept for the next holder). Thread-safe.
 */
final class ShareStop {
  private final Clock clock;
  private final Duration grace;
  private volatile Instant requestedAt;

  ShareStop(Clock clock, Duration grace) {
    this.clock = clock;
    this.grace = grace;
  }

  /** Stop: the first call counts, later ones change nothing. */
  synchronized void request() {
    if (requestedAt == null) {
      requestedAt = clock.instant();
    }
  }

  boolean requested() {
    return requestedAt != null;
  }

  /** Whether the shutdown grace is over: uploads still running now are given up. */
  boolean pastGrace() {
    Instant requested = requestedAt;
    return requested != null && !clock.instant().isBefore(requested.plus(grace));
  }

  Duration grace() {
    return grace;
  }
}
