package io.uploadstream.processor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds finished work until it may be published, and publishes it with the offsets it releases
 * through the {@link ResultCommitter}. In exactly-once mode a result waits until every earlier
 * record of its partition is finished too, so its record's offset commits in the same transaction
 * and a crash can never replay a record whose result is already committed.
 *
 * <p>Called only from the loop thread.
 */
final class ResultPublisher {
  private static final Logger log = LoggerFactory.getLogger(ResultPublisher.class);

  /** After a failed publish, wait this long (polling on) before the next attempt. */
  private static final Duration PAUSE_AFTER_FAILURE = Duration.ofMillis(500);

  private final OffsetTracker offsets;
  private final ResultCommitter committer;
  private final ProcessorListener listener;
  private final Clock clock;
  private final Duration commitInterval;
  private final boolean holdUntilCommittable;

  /** Finished, unpublished work per assignment epoch, by offset. */
  private final Map<OffsetTracker.Epoch, TreeMap<Long, Completion>> held = new HashMap<>();

  private Instant nextAttempt = Instant.MIN;

  ResultPublisher(
      OffsetTracker offsets,
      ResultCommitter committer,
      ProcessorListener listener,
      Clock clock,
      Duration commitInterval,
      boolean holdUntilCommittable) {
    this.offsets = offsets;
    this.committer = committer;
    this.listener = listener;
    this.clock = clock;
    this.commitInterval = commitInterval;
    this.holdUntilCommittable = holdUntilCommittable;
  }

  /** The record no longer holds the commit back; its records wait here until published. */
  void finished(Completion completion) {
    offsets.finished(completion.epoch(), completion.offset());
    held.computeIfAbsent(completion.epoch(), e -> new TreeMap<>())
        .put(completion.offset(), completion);
  }

  /** Finished results of {@code partition} waiting behind an unfinished record. */
  int waitingIn(TopicPartition partition) {
    OffsetTracker.Epoch epoch = offsets.epoch(partition);
    TreeMap<Long, Completion> waiting = epoch == null ? null : held.get(epoch);
    return waiting == null ? 0 : waiting.size();
  }

  /** Drops the held work of partitions that are no longer ours (never published). */
  void forget(Collection<TopicPartition> partitions) {
    held.keySet().removeIf(epoch -> partitions.contains(epoch.partition()));
  }

  /**
   * Publishes what may be published, at most once per commit interval: one transaction carries the
   * results of many uploads (the broker's cost is per transaction), at the price of up to one
   * interval of result latency.
   */
  void publish() {
    if (clock.instant().isBefore(nextAttempt)) {
      return;
    }
    publishNow();
  }

  /**
   * Publishes what may be published with the offsets it releases, now (revocation, shutdown). A
   * non-fatal failure leaves everything as it was for a later call; a fatal one (this instance was
   * fenced) is thrown.
   */
  void publishNow() {
    Map<TopicPartition, OffsetAndMetadata> commit = offsets.committable();
    Map<OffsetTracker.Epoch, Map<Long, Completion>> batch = publishable();
    if (batch.isEmpty() && commit.isEmpty()) {
      return;
    }
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    batch.values().forEach(part -> part.values().forEach(c -> records.addAll(c.records())));
    Instant start = clock.instant();
    try {
      committer.commit(records, commit);
    } catch (ResultCommitter.CommitRejected e) {
      listener.commitFailed(e, e.fatal());
      if (e.fatal()) {
        throw new IllegalStateException("cannot publish results any more: " + e.getMessage(), e);
      }
      log.warn("publishing {} records failed, will retry: {}", records.size(), e.getMessage());
      nextAttempt = clock.instant().plus(PAUSE_AFTER_FAILURE);
      return;
    }
    offsets.committed(commit);
    nextAttempt = clock.instant().plus(commitInterval);
    batch
        .values()
        .forEach(
            part -> part.values().forEach(c -> c.result().ifPresent(listener::resultCommitted)));
    batch.forEach((epoch, published) -> published.clear()); // views: removes from held
    held.values().removeIf(Map::isEmpty);
    listener.batchCommitted(records.size(), Duration.between(start, clock.instant()));
    logCommitted(records.size(), commit);
  }

  /** Per epoch, the held work below its safe position (all of it without holding). */
  private Map<OffsetTracker.Epoch, Map<Long, Completion>> publishable() {
    Map<OffsetTracker.Epoch, Map<Long, Completion>> batch = new HashMap<>();
    held.forEach(
        (epoch, waiting) -> {
          Map<Long, Completion> ready =
              holdUntilCommittable ? waiting.headMap(offsets.safePosition(epoch)) : waiting;
          if (!ready.isEmpty()) {
            batch.put(epoch, ready);
          }
        });
    return batch;
  }

  private void logCommitted(int records, Map<TopicPartition, OffsetAndMetadata> commit) {
    if (log.isDebugEnabled()) {
      Set<String> positions =
          commit.entrySet().stream()
              .map(e -> e.getKey() + "@" + e.getValue().offset())
              .collect(Collectors.toSet());
      log.debug("committed {} records, offsets {}", records, positions);
    }
  }
}
