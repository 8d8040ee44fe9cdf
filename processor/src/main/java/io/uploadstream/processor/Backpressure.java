package io.uploadstream.processor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which partitions the loop pauses, so it keeps polling (and stays in the group) while it takes
 * nothing new: all of them while the dispatcher is full, and each partition whose next record did
 * not fit the {@link HeldBytes} budget. Such a record is not taken: the partition is rewound to it
 * and paused until the held bytes leave room for it again, so a poll never adds more than fits.
 *
 * <p>Called only from the loop thread, which owns the consumer.
 */
final class Backpressure {
  private static final Logger log = LoggerFactory.getLogger(Backpressure.class);

  /** A partition that keeps hitting the budget is reported at most this often (at INFO). */
  private static final Duration REPORT_INTERVAL = Duration.ofMinutes(1);

  private final HeldBytes heldBytes;
  private final Clock clock;

  /** Partitions rewound to a record that did not fit, and that record's bytes. */
  private final Map<TopicPartition, Long> deferred = new HashMap<>();

  private final Map<TopicPartition, Instant> reported = new HashMap<>();

  Backpressure(HeldBytes heldBytes, Clock clock) {
    this.heldBytes = heldBytes;
    this.clock = clock;
  }

  /**
   * Whether the record of {@code partition} at {@code offset}, which may come to {@code bytes},
   * fits the budget. If not, the consumer is rewound to it and the partition paused.
   */
  boolean admit(Consumer<?, ?> consumer, TopicPartition partition, long offset, long bytes) {
    if (heldBytes.hasRoomFor(bytes)) {
      return true;
    }
    consumer.seek(partition, offset);
    consumer.pause(List.of(partition));
    deferred.put(partition, bytes);
    report(partition, offset);
    return false;
  }

  /** Whether the partition waits for room: its later records in this poll are not taken either. */
  boolean isDeferred(TopicPartition partition) {
    return deferred.containsKey(partition);
  }

  /**
   * Pauses every partition while {@code full}; otherwise resumes all but those still waiting for
   * room.
   */
  void apply(Consumer<?, ?> consumer, boolean full) {
    Set<TopicPartition> assignment = consumer.assignment();
    deferred.keySet().retainAll(assignment);
    deferred.values().removeIf(heldBytes::hasRoomFor);
    if (full) {
      consumer.pause(assignment);
      return;
    }
    Set<TopicPartition> resume = new HashSet<>(consumer.paused());
    resume.removeAll(deferred.keySet());
    consumer.resume(resume);
  }

  void forget(Collection<TopicPartition> partitions) {
    deferred.keySet().removeAll(partitions);
    reported.keySet().removeAll(partitions);
  }

  private void report(TopicPartition partition, long offset) {
    Instant now = clock.instant();
    Instant last = reported.get(partition);
    boolean quiet = last != null && now.isBefore(last.plus(REPORT_INTERVAL));
    if (!quiet) {
      reported.put(partition, now);
    }
    String message =
        "pausing {} at offset {}: {} bytes of results and dead letters wait to be published (in"
            + " exactly-once mode, behind the oldest unfinished upload of their partition), the"
            + " held-bytes budget is {} (processor.max-held-bytes)";
    Object[] args = {partition, offset, heldBytes.totalBytes(), heldBytes.budgetBytes()};
    if (quiet) {
      log.debug(message, args);
    } else {
      log.info(message, args);
    }
  }
}
