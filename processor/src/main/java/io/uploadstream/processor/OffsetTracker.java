package io.uploadstream.processor;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Per partition, which records are still being worked on, and so how far the committed offset may
 * advance: to the lowest offset without a published result, or past the last record seen when every
 * one has its result. Uploads of one partition finish out of order; the commit never skips an
 * unfinished one.
 *
 * <p>Called only from the loop thread; not thread-safe.
 */
final class OffsetTracker {

  /**
   * One assignment of one partition. A job holds the epoch it was started under, so a completion
   * arriving after the partition was revoked (and perhaps assigned again) is recognised as stale.
   */
  static final class Epoch {
    private final TopicPartition partition;
    private final TreeSet<Long> unfinished = new TreeSet<>();
    private long nextOffset = -1;
    private long committed = -1;

    private Epoch(TopicPartition partition) {
      this.partition = partition;
    }

    TopicPartition partition() {
      return partition;
    }
  }

  private final Map<TopicPartition, Epoch> epochs = new HashMap<>();

  /** Starts tracking {@code partition} (a new epoch), forgetting any earlier assignment. */
  Epoch assign(TopicPartition partition) {
    Epoch epoch = new Epoch(partition);
    epochs.put(partition, epoch);
    return epoch;
  }

  void revoke(TopicPartition partition) {
    epochs.remove(partition);
  }

  /** The current epoch of {@code partition}, or null when it is not assigned. */
  Epoch epoch(TopicPartition partition) {
    return epochs.get(partition);
  }

  boolean isCurrent(Epoch epoch) {
    return epochs.get(epoch.partition) == epoch;
  }

  /** A record was polled and its work started; the commit may not pass it until it finishes. */
  void started(Epoch epoch, long offset) {
    if (epoch.nextOffset < 0) {
      // the first record of this assignment: the group's committed position is not beyond it
      epoch.committed = offset;
    }
    epoch.unfinished.add(offset);
    epoch.nextOffset = Math.max(epoch.nextOffset, offset + 1);
  }

  /**
   * The record's work is done (its result or dead letter is built, maybe not yet published): it no
   * longer holds the commit back. The publisher commits this position only with those records.
   */
  void finished(Epoch epoch, long offset) {
    epoch.unfinished.remove(offset);
  }

  /** Number of started, unfinished records of the partition. */
  int unfinished(TopicPartition partition) {
    Epoch epoch = epochs.get(partition);
    return epoch == null ? 0 : epoch.unfinished.size();
  }

  /**
   * Offsets to commit: for each partition whose safe position moved since the last call, the lowest
   * unfinished offset, or the offset after the last record seen.
   */
  Map<TopicPartition, OffsetAndMetadata> committable() {
    return committable(epoch -> Long.MAX_VALUE);
  }

  /**
   * As {@link #committable()}, each partition's position capped at {@code publishedBelow}: a batch
   * that leaves finished work of the partition for a later transaction releases only the offsets
   * before it.
   */
  Map<TopicPartition, OffsetAndMetadata> committable(ToLongFunction<Epoch> publishedBelow) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (Epoch epoch : epochs.values()) {
      long safe = Math.min(safePosition(epoch), publishedBelow.applyAsLong(epoch));
      if (safe > epoch.committed) {
        offsets.put(epoch.partition, new OffsetAndMetadata(safe));
      }
    }
    return offsets;
  }

  /** Records that {@code offsets} were committed, so they are not offered again. */
  void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach(
        (partition, offset) -> {
          Epoch epoch = epochs.get(partition);
          if (epoch != null) {
            epoch.committed = Math.max(epoch.committed, offset.offset());
          }
        });
  }

  /**
   * Where the commit of this epoch's partition may go: the lowest unfinished offset, or the offset
   * after the last record seen (-1 before any record).
   */
  long safePosition(Epoch epoch) {
    return epoch.unfinished.isEmpty() ? epoch.nextOffset : epoch.unfinished.first();
  }
}
