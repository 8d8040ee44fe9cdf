package io.uploadstream.processor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds finished work until it may be published, and publishes it with the offsets it releases
 * through the {@link ResultCommitter}, in batches of at most a {@link BatchLimit}. In exactly-once
 * mode a result waits until every earlier record of its partition is finished too, so its record's
 * offset commits in the same transaction and a crash can never replay a record whose result is
 * already committed. What it holds is counted in {@link HeldBytes}.
 *
 * <p>Called only from the loop thread.
 */
final class ResultPublisher {
  private static final Logger log = LoggerFactory.getLogger(ResultPublisher.class);

  /** After a failed publish, wait this long (polling on) before the next attempt. */
  private static final Duration PAUSE_AFTER_FAILURE = Duration.ofMillis(500);

  private final OffsetTracker offsets;
  private final HeldBytes heldBytes;
  private final ResultCommitter committer;
  private final ProcessorListener listener;
  private final Lane lane;
  private final Clock clock;
  private final Duration commitInterval;
  private final int uploadSlots;
  private final boolean holdUntilCommittable;
  private final BatchLimit limit;

  /** Finished, unpublished work per assignment epoch, by offset. */
  private final Map<OffsetTracker.Epoch, NavigableMap<Long, Completion.Published>> held =
      new HashMap<>();

  /** Work may be publishable: finished since the last look, or a failed publish to retry. */
  private boolean changed;

  private Instant lastCommit = Instant.MIN;
  private Instant retryAt = Instant.MIN;

  ResultPublisher(
      OffsetTracker offsets,
      HeldBytes heldBytes,
      ResultCommitter committer,
      ProcessorListener listener,
      Lane lane,
      Clock clock,
      Duration commitInterval,
      int uploadSlots,
      boolean holdUntilCommittable,
      BatchLimit limit) {
    if (uploadSlots < 1) {
      throw new IllegalArgumentException("uploadSlots must be at least 1, was " + uploadSlots);
    }
    this.offsets = offsets;
    this.heldBytes = heldBytes;
    this.committer = committer;
    this.listener = listener;
    this.lane = lane;
    this.clock = clock;
    this.commitInterval = commitInterval;
    this.uploadSlots = uploadSlots;
    this.holdUntilCommittable = holdUntilCommittable;
    this.limit = limit;
  }

  /** The record no longer holds the commit back; its records wait here until published. */
  void finished(Completion.Published completion) {
    changed = true;
    offsets.finished(completion.epoch(), completion.offset());
    held.computeIfAbsent(completion.epoch(), e -> new TreeMap<>())
        .put(completion.offset(), completion);
    heldBytes.hold(completion.epoch(), completion.offset(), RecordBytes.of(completion.records()));
  }

  /** Finished results of {@code partition} waiting to be published. */
  int waitingIn(TopicPartition partition) {
    OffsetTracker.Epoch epoch = offsets.epoch(partition);
    NavigableMap<Long, Completion.Published> waiting = epoch == null ? null : held.get(epoch);
    return waiting == null ? 0 : waiting.size();
  }

  /** Drops the held work of partitions that are no longer ours (never published). */
  void forget(Collection<TopicPartition> partitions) {
    held.keySet().removeIf(epoch -> partitions.contains(epoch.partition()));
    heldBytes.forget(partitions);
  }

  /**
   * Publishes what may be published once it is due. One transaction carries the results of many
   * uploads (the broker's cost is per transaction), but batching only pays while more results are
   * coming: the wait after the last commit is the commit interval scaled by how busy the upload
   * slots are, so with nothing else running a result is committed at once, and under full load at
   * most once per interval.
   *
   * @param pending requests dispatched or waiting for a slot: results that may join the batch
   */
  void publish(int pending) {
    if (!hasWork() || clock.instant().isBefore(dueAt(pending))) {
      return;
    }
    publishNow();
  }

  /**
   * How long until held work is due ({@link #publish}); {@code max} when nothing is held, zero when
   * it is due now.
   */
  Duration untilDue(int pending, Duration max) {
    if (!hasWork()) {
      return max;
    }
    Duration left = Duration.between(clock.instant(), dueAt(pending));
    if (left.isNegative()) {
      return Duration.ZERO;
    }
    return left.compareTo(max) < 0 ? left : max;
  }

  /**
   * Whether a publish may find something: work finished since the last publish that found nothing,
   * or a failed publish to try again. Work held behind an unfinished upload is not looked at again
   * until something finishes.
   */
  private boolean hasWork() {
    return changed;
  }

  private Instant dueAt(int pending) {
    double busy = Math.min(1.0, pending / (double) uploadSlots);
    Instant batched = lastCommit.plusNanos((long) (commitInterval.toNanos() * busy));
    return batched.isAfter(retryAt) ? batched : retryAt;
  }

  /**
   * Publishes what may be published with the offsets it releases, now (revocation, shutdown), batch
   * after batch. A non-fatal failure leaves the batch for a later call — but for records the broker
   * acknowledged, which are never sent again; a fatal one (this instance was fenced) is thrown.
   */
  void publishNow() {
    Batch batch;
    do {
      batch = Batch.next(held, offsets, holdUntilCommittable, limit);
      if (batch.isEmpty()) {
        changed = false;
        return;
      }
      if (!commit(batch)) {
        return; // changed stays set: tried again after the pause
      }
    } while (batch.full());
    changed = false;
  }

  private boolean commit(Batch batch) {
    Instant start = clock.instant();
    try {
      committer.commit(batch.records(), batch.offsets());
    } catch (ResultCommitter.CommitRejected e) {
      listener.commitFailed(e, e.fatal());
      if (e.fatal()) {
        throw new IllegalStateException("cannot publish results any more: " + e.getMessage(), e);
      }
      log.warn(
          "publishing {} records failed, will retry: {}", batch.records().size(), e.getMessage());
      published(batch.acknowledgedIn(e.acknowledged()));
      retryAt = clock.instant().plus(PAUSE_AFTER_FAILURE);
      return false;
    }
    offsets.committed(batch.offsets());
    lastCommit = clock.instant();
    published(batch.completions());
    Duration took = Duration.between(start, clock.instant());
    listener.batchCommitted(batch.records().size(), took);
    logCommitted(batch.records().size(), batch.offsets(), took);
    return true;
  }

  /**
   * The work is on its topic: it is no longer held, and its result counts as committed. Observers
   * hear of it first; then, and never before, a source file the request asked to delete goes.
   */
  private void published(List<Completion.Published> completions) {
    for (Completion.Published completion : completions) {
      NavigableMap<Long, Completion.Published> waiting = held.get(completion.epoch());
      if (waiting != null) {
        waiting.remove(completion.offset());
        if (waiting.isEmpty()) {
          held.remove(completion.epoch());
        }
      }
      heldBytes.release(completion.epoch(), completion.offset());
      completion.result().ifPresent(result -> listener.resultCommitted(result, lane));
      completion
          .handedOff()
          .ifPresent(
              handOff -> listener.handedOff(handOff.request().requestId(), handOff.sizeBytes()));
      completion.afterCommit().ifPresent(SourceDeletion::start);
    }
  }

  private void logCommitted(
      int records, Map<TopicPartition, OffsetAndMetadata> commit, Duration took) {
    if (log.isDebugEnabled()) {
      Set<String> positions =
          commit.entrySet().stream()
              .map(e -> e.getKey() + "@" + e.getValue().offset())
              .collect(Collectors.toSet());
      log.debug("committed {} records, offsets {}, in {} ms", records, positions, took.toMillis());
    }
  }
}
