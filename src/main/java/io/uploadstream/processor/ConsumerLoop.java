package io.uploadstream.processor;

import io.uploadstream.contract.DecodeResult;
import io.uploadstream.contract.RequestDecoder;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the KafkaConsumer. Each turn it polls, decodes (bad records become dead
 * letters), hands valid requests to the {@link Dispatcher}, pauses its partitions while the
 * dispatcher is full (so it keeps polling and stays in the group however long uploads take), and
 * publishes finished results together with the offsets they release. It never waits on an upload.
 */
final class ConsumerLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);
  private static final Duration IDLE_POLL = Duration.ofMillis(200);
  private static final Duration BUSY_POLL = Duration.ofMillis(10);
  private static final Duration COLLECT_WAIT = Duration.ofMillis(50);
  private static final Duration RETRY_PUBLISH_AFTER = Duration.ofMillis(500);
  private static final Duration ABANDON_WAIT = Duration.ofSeconds(15);

  /** A decoded request waiting for a free upload slot. */
  private record Waiting(
      OffsetTracker.Epoch epoch, ConsumerRecord<byte[], byte[]> record, UploadRequest request) {}

  private final Consumer<byte[], byte[]> consumer;
  private final String requestTopic;
  private final RequestDecoder decoder;
  private final UploadJob uploadJob;
  private final ResultRecords resultRecords;
  private final Dispatcher dispatcher;
  private final ResultCommitter committer;
  private final ProcessorListener listener;
  private final Clock clock;
  private final Duration revocationGrace;
  private final Duration shutdownGrace;
  private final boolean holdResultsUntilCommittable;

  private final OffsetTracker offsets = new OffsetTracker();
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private final List<Completion> unpublished = new ArrayList<>();
  private Instant nextPublishAttempt = Instant.MIN;

  private final AtomicBoolean stopRequested = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Throwable failure;

  ConsumerLoop(
      Consumer<byte[], byte[]> consumer,
      String requestTopic,
      RequestDecoder decoder,
      UploadJob uploadJob,
      ResultRecords resultRecords,
      Dispatcher dispatcher,
      ResultCommitter committer,
      ProcessorListener listener,
      Clock clock,
      Duration revocationGrace,
      Duration shutdownGrace,
      boolean holdResultsUntilCommittable) {
    this.consumer = consumer;
    this.requestTopic = requestTopic;
    this.decoder = decoder;
    this.uploadJob = uploadJob;
    this.resultRecords = resultRecords;
    this.dispatcher = dispatcher;
    this.committer = committer;
    this.listener = listener;
    this.clock = clock;
    this.revocationGrace = revocationGrace;
    this.shutdownGrace = shutdownGrace;
    this.holdResultsUntilCommittable = holdResultsUntilCommittable;
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(requestTopic), new Rebalance());
      while (!stopRequested.get()) {
        turn();
      }
      finishForShutdown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = e;
    } catch (RuntimeException | Error e) {
      log.error("processor loop failed", e);
      failure = e;
    } finally {
      closeQuietly();
      stopped.countDown();
    }
  }

  /** Asks the loop to stop fetching, finish (or abandon) in-flight uploads, commit and exit. */
  void stop() {
    stopRequested.set(true);
  }

  boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Why the loop ended on its own, or null. */
  Throwable failure() {
    return failure;
  }

  private void turn() throws InterruptedException {
    boolean busy = dispatcher.inFlight() > 0 || !waiting.isEmpty();
    consumer.poll(busy ? BUSY_POLL : IDLE_POLL).forEach(this::accept);
    dispatchWaiting();
    applyBackpressure();
    collect(Duration.ZERO);
    publish();
  }

  private void accept(ConsumerRecord<byte[], byte[]> record) {
    OffsetTracker.Epoch epoch =
        offsets.epoch(new TopicPartition(record.topic(), record.partition()));
    if (epoch == null) {
      return; // not ours any more; its next owner reads it again
    }
    offsets.started(epoch, record.offset());
    DecodeResult decoded = decoder.decode(record.value());
    log.debug("polled {}-{}@{}", record.topic(), record.partition(), record.offset());
    if (decoded instanceof DecodeResult.Decoded d) {
      waiting.add(new Waiting(epoch, record, d.request()));
      listener.requestAccepted(d.request().requestId());
      return;
    }
    DecodeResult.Rejected rejected = (DecodeResult.Rejected) decoded;
    String reason = rejected.reason().name();
    ProducerRecord<byte[], byte[]> letter =
        resultRecords.deadLetter(record, reason, rejected.message());
    finished(Completion.published(epoch, record.offset(), letter, null));
    listener.deadLettered(reason);
  }

  private void dispatchWaiting() {
    while (!waiting.isEmpty() && dispatcher.hasCapacity()) {
      Waiting next = waiting.poll();
      dispatcher.dispatch(next.epoch(), next.record().offset(), () -> upload(next));
    }
  }

  /**
   * Runs on a worker thread. Whatever happens, the request gets a result — except an interrupt
   * (shutdown, revocation), which leaves it uncommitted for its next run.
   */
  private Completion upload(Waiting request) throws InterruptedException {
    Instant recordTime = Instant.ofEpochMilli(request.record().timestamp());
    UploadResult result;
    try {
      result = uploadJob.run(request.request(), recordTime);
    } catch (RuntimeException e) {
      log.error("request {} failed unexpectedly", request.request().requestId(), e);
      result = uploadJob.internalError(request.request(), e);
    }
    return Completion.published(
        request.epoch(), request.record().offset(), resultRecords.result(result), result);
  }

  /** Full: pause every partition but keep polling (group membership); room again: resume. */
  private void applyBackpressure() {
    if (!waiting.isEmpty() || !dispatcher.hasCapacity()) {
      consumer.pause(consumer.assignment());
    } else if (!consumer.paused().isEmpty()) {
      consumer.resume(consumer.paused());
    }
  }

  private void collect(Duration wait) throws InterruptedException {
    for (Completion completion : dispatcher.completed(wait)) {
      if (!completion.abandoned() && offsets.isCurrent(completion.epoch())) {
        finished(completion);
      }
    }
  }

  /** The record no longer holds the commit back; its records wait in {@link #unpublished}. */
  private void finished(Completion completion) {
    offsets.finished(completion.epoch(), completion.offset());
    unpublished.add(completion);
  }

  /**
   * Publishes finished work with the offsets it releases, in one transaction in exactly-once mode.
   * There a result waits until every earlier record of its partition is finished too: its record's
   * offset is committed in the same transaction, so a crash can never replay a record whose result
   * is already committed. On failure everything stays as it was for the next turn.
   */
  private void publish() {
    if (clock.instant().isBefore(nextPublishAttempt)) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> commit = offsets.committable();
    List<Completion> batch =
        holdResultsUntilCommittable
            ? unpublished.stream()
                .filter(c -> c.offset() < offsets.safePosition(c.epoch()))
                .toList()
            : List.copyOf(unpublished);
    if (batch.isEmpty() && commit.isEmpty()) {
      return;
    }
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    batch.forEach(c -> records.addAll(c.records()));
    Instant start = clock.instant();
    try {
      committer.commit(records, commit);
    } catch (ResultCommitter.CommitRejected e) {
      listener.commitFailed(e, e.fatal());
      if (e.fatal()) {
        throw new IllegalStateException("cannot publish results any more: " + e.getMessage(), e);
      }
      log.warn("publishing {} records failed, will retry: {}", records.size(), e.getMessage());
      nextPublishAttempt = clock.instant().plus(RETRY_PUBLISH_AFTER);
      return;
    }
    offsets.committed(commit);
    unpublished.removeAll(batch);
    if (log.isDebugEnabled()) {
      log.debug(
          "committed {} records ({}), offsets {}",
          records.size(),
          batch.stream().map(c -> c.epoch().partition() + "@" + c.offset()).toList(),
          commit);
    }
    listener.batchCommitted(records.size(), Duration.between(start, clock.instant()));
    batch.forEach(c -> c.result().ifPresent(listener::resultCommitted));
  }

  /** Waits up to {@code grace} for the jobs of {@code partitions}, then abandons the rest. */
  private void finishOrAbandon(Collection<TopicPartition> partitions, Duration grace)
      throws InterruptedException {
    Instant deadline = clock.instant().plus(grace);
    while (dispatcher.isRunningFor(partitions) && clock.instant().isBefore(deadline)) {
      collect(COLLECT_WAIT);
    }
    dispatcher.cancel(partitions);
  }

  private void finishForShutdown() throws InterruptedException {
    log.info("stopping: {} uploads in flight, grace {}", dispatcher.inFlight(), shutdownGrace);
    waiting.clear();
    consumer.pause(consumer.assignment());
    finishOrAbandon(consumer.assignment(), shutdownGrace);
    Instant deadline = clock.instant().plus(ABANDON_WAIT);
    while (dispatcher.inFlight() > 0 && clock.instant().isBefore(deadline)) {
      collect(COLLECT_WAIT); // abandoned uploads abort their multipart uploads first
    }
    nextPublishAttempt = Instant.MIN;
    publish();
  }

  private void closeQuietly() {
    dispatcher.close();
    try {
      consumer.close();
    } catch (RuntimeException e) {
      log.warn("closing the consumer failed: {}", e.toString());
    }
    committer.close();
  }

  /** Rebalance callbacks: they run inside {@code poll}, on the loop thread. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      partitions.forEach(offsets::assign);
      listener.assignmentChanged(consumer.assignment());
      log.info("assigned {}", partitions);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      log.info("revoking {}: finishing their uploads within {}", partitions, revocationGrace);
      waiting.removeIf(w -> partitions.contains(w.epoch().partition()));
      try {
        finishOrAbandon(partitions, revocationGrace);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        dispatcher.cancel(partitions);
      }
      nextPublishAttempt = Instant.MIN;
      publish();
      forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      log.warn("lost {}: abandoning their uploads without committing", partitions);
      waiting.removeIf(w -> partitions.contains(w.epoch().partition()));
      dispatcher.cancel(partitions);
      forget(partitions);
    }

    private void forget(Collection<TopicPartition> partitions) {
      unpublished.removeIf(c -> partitions.contains(c.epoch().partition()));
      partitions.forEach(offsets::revoke);
      listener.assignmentChanged(consumer.assignment());
    }
  }
}
