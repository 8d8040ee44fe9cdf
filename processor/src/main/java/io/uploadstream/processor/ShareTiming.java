package io.uploadstream.processor;

import java.time.Duration;
import java.util.Optional;

/**
 * The timing of a share-group member's hold on a record.
 *
 * @param configuredLock the lock the processor set on the group (or expects there); used only until
 *     the broker states the lock it applied ({@code acquisitionLockTimeoutMs})
 * @param stallTimeout an upload that shows no life for this long is given up
 */
record ShareTiming(Duration configuredLock, Duration stallTimeout) {

  /** The broker's default lock ({@code group.share.record.lock.duration.ms}). */
  static final Duration KAFKA_DEFAULT_LOCK = Duration.ofSeconds(30);

  /**
   * Renewals also count as polls: a member that does not poll for {@code max.poll.interval.ms} (5
   * min by default) leaves the group, so even a long lock is renewed at least this often.
   */
  static final Duration MAX_RENEW_INTERVAL = Duration.ofMinutes(1);

  /**
   * A third of the lock, like a heartbeat within a session: one renewal may be slow or fail and the
   * next still comes in time.
   */
  Duration renewEvery(Optional<Integer> appliedLockMs) {
    Duration lock = appliedLockMs.map(ms -> Duration.ofMillis(ms)).orElse(configuredLock);
    Duration third = lock.dividedBy(3);
    return third.compareTo(MAX_RENEW_INTERVAL) < 0 ? third : MAX_RENEW_INTERVAL;
  }
}
