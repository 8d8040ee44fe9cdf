package io.uploadstream.processor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The next publish: finished work taken in offset order per partition up to the {@link BatchLimit},
 * and the offsets it releases. A partition's offset moves only past records whose work is published
 * — in this batch or before — so work left for the next batch holds it back.
 */
final class Batch {
  private final List<Completion.Published> completions;
  private final List<ProducerRecord<byte[], byte[]>> records;
  private final Map<TopicPartition, OffsetAndMetadata> offsets;
  private final boolean full;

  private Batch(
      List<Completion.Published> completions,
      List<ProducerRecord<byte[], byte[]>> records,
      Map<TopicPartition, OffsetAndMetadata> offsets,
      boolean full) {
    this.completions = completions;
    this.records = records;
    this.offsets = offsets;
    this.full = full;
  }

  /**
   * @param held finished, unpublished work per epoch, by offset
   * @param holdUntilCommittable exactly-once: work is publishable only below its partition's safe
   *     position, so its offset commits with it
   */
  static Batch next(
      Map<OffsetTracker.Epoch, NavigableMap<Long, Completion.Published>> held,
      OffsetTracker tracker,
      boolean holdUntilCommittable,
      BatchLimit limit) {
    List<Completion.Published> taken = new ArrayList<>();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    Map<OffsetTracker.Epoch, Long> leftFrom = new HashMap<>();
    long bytes = 0;
    boolean full = false;
    for (Map.Entry<OffsetTracker.Epoch, NavigableMap<Long, Completion.Published>> entry :
        held.entrySet()) {
      NavigableMap<Long, Completion.Published> ready = entry.getValue();
      if (holdUntilCommittable) {
        ready = ready.headMap(tracker.safePosition(entry.getKey()), false);
      }
      for (Completion.Published completion : ready.values()) {
        long size = RecordBytes.of(completion.records());
        if (full || !limit.admits(taken.size(), bytes, size)) {
          full = true;
          leftFrom.put(entry.getKey(), completion.offset());
          break;
        }
        taken.add(completion);
        records.addAll(completion.records());
        bytes += size;
      }
    }
    Map<TopicPartition, OffsetAndMetadata> offsets =
        tracker.committable(epoch -> leftFrom.getOrDefault(epoch, Long.MAX_VALUE));
    return new Batch(taken, records, offsets, full);
  }

  boolean isEmpty() {
    return records.isEmpty() && offsets.isEmpty();
  }

  /** More was publishable than this batch took: publish again at once. */
  boolean full() {
    return full;
  }

  List<Completion.Published> completions() {
    return completions;
  }

  List<ProducerRecord<byte[], byte[]>> records() {
    return records;
  }

  Map<TopicPartition, OffsetAndMetadata> offsets() {
    return offsets;
  }

  /** The work of this batch whose every record is among {@code acknowledged} (by identity). */
  List<Completion.Published> acknowledgedIn(List<ProducerRecord<byte[], byte[]>> acknowledged) {
    Set<ProducerRecord<byte[], byte[]>> sent = Collections.newSetFromMap(new IdentityHashMap<>());
    sent.addAll(acknowledged);
    return completions.stream().filter(c -> sent.containsAll(c.records())).toList();
  }
}
