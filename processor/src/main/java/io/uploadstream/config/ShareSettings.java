package io.uploadstream.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a processor in share mode ({@code processor.consumption=share}) uses its share group. The
 * lock and the delivery limit are group configs: the processor sets them on the group at start
 * ({@code setGroupConfigs}) or checks that an operator did.
 *
 * @param lockDuration the group's {@code share.record.lock.duration.ms}; empty: leave the group's
 *     (the broker's {@code group.share.record.lock.duration.ms}, 30 s by default)
 * @param deliveryLimit the group's {@code share.delivery.count.limit}: the delivery with this
 *     number is a record's last, answered FAILED {@code DELIVERY_LIMIT_REACHED} without an attempt
 * @param setGroupConfigs set the group configs at start (needs ALTER_CONFIGS on the group); false:
 *     only check them (DESCRIBE_CONFIGS)
 * @param stallTimeout an upload that started, stored or retried no part for this long no longer
 *     keeps its lock: it is stopped and its record released to another member
 */
public record ShareSettings(
    Optional<Duration> lockDuration,
    int deliveryLimit,
    boolean setGroupConfigs,
    Duration stallTimeout) {

  /** Kafka's bounds of {@code share.record.lock.duration.ms} (the broker narrows them further). */
  public static final Duration MIN_LOCK = Duration.ofSeconds(1);

  public static final Duration MAX_LOCK = Duration.ofHours(1);

  /** Kafka's bounds of {@code share.delivery.count.limit} for a group. */
  public static final int MIN_DELIVERY_LIMIT = 2;

  public static final int MAX_DELIVERY_LIMIT = 10;

  public ShareSettings {
    Objects.requireNonNull(lockDuration, "lockDuration");
    Objects.requireNonNull(stallTimeout, "stallTimeout");
    ConfigProblems problems = new ConfigProblems();
    lockDuration.ifPresent(
        lock ->
            problems.require(
                lock.compareTo(MIN_LOCK) >= 0 && lock.compareTo(MAX_LOCK) <= 0,
                Setting.SHARE_LOCK_DURATION,
                "between 1s and 1h (and within the broker's group.share.min/max.record.lock"
                    + ".duration.ms), was "
                    + lock));
    problems.require(
        deliveryLimit >= MIN_DELIVERY_LIMIT && deliveryLimit <= MAX_DELIVERY_LIMIT,
        Setting.SHARE_DELIVERY_LIMIT,
        "between 2 and 10 (and within the broker's group.share.min/max.delivery.count.limit),"
            + " was "
            + deliveryLimit);
    problems.require(
        stallTimeout.compareTo(Duration.ofSeconds(1)) >= 0,
        Setting.SHARE_STALL_TIMEOUT,
        "must be at least 1s, was " + stallTimeout);
    problems.throwIfAny();
  }
}
