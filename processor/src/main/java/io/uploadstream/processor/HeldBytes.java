package io.uploadstream.processor;

import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The memory the loop holds for records it accepted and has not published yet, against a budget.
 * Each record counts from the moment it is accepted — at first the most it can come to ({@link
 * RecordBytes#heldAtMost}), then the size of its finished result or dead letter — until it is
 * published or its partition is given up. In exactly-once mode finished work waits behind the
 * oldest unfinished upload of its partition, so this is what a long upload makes the loop hold.
 *
 * <p>Called only from the loop thread.
 */
final class HeldBytes {
  private final long budgetBytes;
  private final Map<OffsetTracker.Epoch, Map<Long, Long>> byRecord = new HashMap<>();
  private long totalBytes;

  HeldBytes(long budgetBytes) {
    this.budgetBytes = budgetBytes;
  }

  long budgetBytes() {
    return budgetBytes;
  }

  long totalBytes() {
    return totalBytes;
  }

  /**
   * Whether a record that may come to {@code bytes} can be taken on. With nothing held anything
   * fits, so a record larger than the whole budget still goes through, alone.
   */
  boolean hasRoomFor(long bytes) {
    return totalBytes == 0 || totalBytes + bytes <= budgetBytes;
  }

  /** Counts {@code bytes} for the record, replacing what was counted for it before. */
  void hold(OffsetTracker.Epoch epoch, long offset, long bytes) {
    Long before = byRecord.computeIfAbsent(epoch, e -> new HashMap<>()).put(offset, bytes);
    totalBytes += bytes - (before == null ? 0 : before);
  }

  /** The record was published, or abandoned: it holds nothing any more. */
  void release(OffsetTracker.Epoch epoch, long offset) {
    Map<Long, Long> records = byRecord.get(epoch);
    Long bytes = records == null ? null : records.remove(offset);
    if (bytes == null) {
      return;
    }
    totalBytes -= bytes;
    if (records.isEmpty()) {
      byRecord.remove(epoch);
    }
  }

  /** Drops everything counted for these partitions (revoked or lost: never published here). */
  void forget(Collection<TopicPartition> partitions) {
    Iterator<Map.Entry<OffsetTracker.Epoch, Map<Long, Long>>> epochs =
        byRecord.entrySet().iterator();
    while (epochs.hasNext()) {
      Map.Entry<OffsetTracker.Epoch, Map<Long, Long>> entry = epochs.next();
      if (partitions.contains(entry.getKey().partition())) {
        entry.getValue().values().forEach(bytes -> totalBytes -= bytes);
        epochs.remove();
      }
    }
  }
}
