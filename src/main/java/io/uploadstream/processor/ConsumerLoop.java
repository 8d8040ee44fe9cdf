package io.uploadstream.processor;

import io.uploadstream.contract.DecodeResult;
import io.uploadstream.contract.RequestDecoder;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
  private static final Duration BUSY_POLL = Duration.ofMillis(5);
  private static final Duration COLLECT_WAIT = Duration.ofMillis(50);

  /** Longer than a cancelled upload takes to stop its parts (30 s at most) and abort. */
  private static final Duration ABANDON_WAIT = Duration.ofSeconds(45);

  /**
   * A partition whose oldest unfinished upload holds this many finished results back is paused:
   * held results cost memory, and exactly-once mode can publish them only after that upload.
   */
  static final int MAX_HELD_RESULTS_PER_PARTITION = 1000;

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

  private final OffsetTracker offsets = new OffsetTracker();
  private final ResultPublisher publisher;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();

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
      Duration commitInterval,
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
    this.publisher =
        new ResultPublisher(
            offsets, committer, listener, clock, commitInterval, holdResultsUntilCommittable);
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
      try {
        closeQuietly();
      } finally {
        stopped.countDown();
      }
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
    collect(Duration.ZERO); // frees slots before dispatching into them
    dispatchWaiting();
    applyBackpressure();
    publisher.publish();
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
    // A readable requestId is answered as well, in the same transaction as its dead letter.
    UploadResult answer =
        rejected.echo().map(echo -> uploadJob.refused(echo, rejected.message())).orElse(null);
    List<ProducerRecord<byte[], byte[]>> records =
        answer == null ? List.of(letter) : List.of(letter, resultRecords.result(answer));
    publisher.finished(Completion.published(epoch, record.offset(), records, answer));
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
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception | Error e) { // a bug must answer the request, not freeze its partition
      log.error("request {} failed unexpectedly", request.request().requestId(), e);
      result = uploadJob.internalError(request.request(), e);
    }
    return Completion.published(
        request.epoch(), request.record().offset(), resultRecords.result(result), result);
  }

  /**
   * Full: pause every partition but keep polling (group membership); room again: resume, except
   * partitions holding too many finished results behind an unfinished upload.
   */
  private void applyBackpressure() {
    Set<TopicPartition> assignment = consumer.assignment();
    if (!waiting.isEmpty() || !dispatcher.hasCapacity()) {
      consumer.pause(assignment);
      return;
    }
    Set<TopicPartition> held = new HashSet<>();
    for (TopicPartition partition : assignment) {
      if (publisher.waitingIn(partition) >= MAX_HELD_RESULTS_PER_PARTITION) {
        held.add(partition);
      }
    }
    Set<TopicPartition> resume = new HashSet<>(consumer.paused());
    resume.removeAll(held);
    consumer.pause(held);
    consumer.resume(resume);
  }

  private void collect(Duration wait) throws InterruptedException {
    for (Completion completion : dispatcher.completed(wait)) {
      if (completion.crash() != null) {
        throw new IllegalStateException("an upload job crashed", completion.crash());
      }
      if (!completion.abandoned() && offsets.isCurrent(completion.epoch())) {
        publisher.finished(completion);
      }
    }
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

  /**
   * Stops fetching but keeps polling (paused) so the group does not put this instance out while
   * uploads finish within the grace; results are committed as they come. Past the grace the rest is
   * cancelled: their uploads abort and their records stay uncommitted for the next owner.
   */
  private void finishForShutdown() throws InterruptedException {
    log.info("stopping: {} uploads in flight, grace {}", dispatcher.inFlight(), shutdownGrace);
    waiting.clear();
    drainWhilePolling(clock.instant().plus(shutdownGrace));
    dispatcher.cancelAll();
    drainWhilePolling(clock.instant().plus(ABANDON_WAIT));
    publisher.publishNow();
  }

  private void drainWhilePolling(Instant deadline) throws InterruptedException {
    while (dispatcher.inFlight() > 0 && clock.instant().isBefore(deadline)) {
      consumer.pause(consumer.assignment());
      consumer.poll(Duration.ZERO); // heartbeat the group; nothing is fetched while paused
      collect(COLLECT_WAIT);
      publisher.publish();
    }
  }

  private void closeQuietly() {
    closeQuietly("dispatcher", dispatcher);
    closeQuietly("consumer", consumer);
    closeQuietly("result producer", committer);
  }

  private static void closeQuietly(String what, AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.warn("closing the {} failed: {}", what, e.toString());
    }
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
      publisher.publishNow();
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
      publisher.forget(partitions);
      partitions.forEach(offsets::revoke);
      listener.assignmentChanged(consumer.assignment());
    }
  }
}
