package io.uploadstream.processor;

import io.uploadstream.contract.DecodeResult;
import io.uploadstream.contract.RequestDecoder;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the KafkaConsumer. Each turn it polls, takes each record the held-bytes
 * budget has room for (bad records become dead letters), hands valid requests to the {@link
 * Dispatcher}, pauses partitions while the dispatcher is full or the budget is spent (so it keeps
 * polling and stays in the group however long uploads take), and publishes finished results
 * together with the offsets they release. It never waits on an upload.
 */
final class ConsumerLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);
  private static final Duration IDLE_POLL = Duration.ofMillis(200);
  private static final Duration BUSY_POLL = Duration.ofMillis(5);
  static final Duration COLLECT_WAIT = Duration.ofMillis(50);

  /** A decoded request waiting for a free upload slot (without its record's bytes). */
  record Waiting(
      OffsetTracker.Epoch epoch, long offset, Instant recordTime, UploadRequest request) {}

  private final Consumer<byte[], byte[]> consumer;
  private final String requestTopic;
  private final RequestDecoder decoder;
  private final UploadJob uploadJob;
  private final ResultRecords resultRecords;
  private final Dispatcher dispatcher;
  private final ResultCommitter committer;
  private final ProcessorListener listener;

  private final OffsetTracker offsets = new OffsetTracker();
  private final HeldBytes heldBytes;
  private final Backpressure backpressure;
  private final ResultPublisher publisher;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private final Handover handover;

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
      LoopSettings settings) {
    this.consumer = consumer;
    this.requestTopic = requestTopic;
    this.decoder = decoder;
    this.uploadJob = uploadJob;
    this.resultRecords = resultRecords;
    this.dispatcher = dispatcher;
    this.committer = committer;
    this.listener = listener;
    this.heldBytes = new HeldBytes(settings.maxHeldBytes());
    this.backpressure = new Backpressure(heldBytes, clock);
    this.publisher =
        new ResultPublisher(
            offsets,
            heldBytes,
            committer,
            listener,
            clock,
            settings.commitInterval(),
            settings.holdResultsUntilCommittable(),
            settings.batchLimit());
    this.handover =
        new Handover(
            consumer,
            offsets,
            dispatcher,
            publisher,
            backpressure,
            waiting,
            listener,
            clock,
            settings.stop(),
            this::collect);
  }

  @Override
  public void run() {
    try {
      subscribe();
      while (!stopRequested.get()) {
        turn();
      }
      handover.finishForShutdown();
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

  /** Asks the loop to stop fetching, finish (or hand over) in-flight uploads, commit and exit. */
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

  /** Bytes held for accepted, unpublished records (for tests). */
  long heldBytes() {
    return heldBytes.totalBytes();
  }

  void subscribe() {
    consumer.subscribe(List.of(requestTopic), handover);
  }

  /** One turn of the loop: the algorithm. */
  void turn() throws InterruptedException {
    boolean busy = dispatcher.inFlight() > 0 || !waiting.isEmpty();
    consumer.poll(busy ? BUSY_POLL : IDLE_POLL).forEach(this::accept);
    collect(Duration.ZERO); // frees slots before dispatching into them
    dispatchWaiting();
    backpressure.apply(consumer, !waiting.isEmpty() || !dispatcher.hasCapacity());
    publisher.publish();
  }

  /** Takes the record on, unless its partition is not ours or the budget has no room for it. */
  private void accept(ConsumerRecord<byte[], byte[]> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    OffsetTracker.Epoch epoch = offsets.epoch(partition);
    if (epoch == null || backpressure.isDeferred(partition)) {
      return; // not ours any more, or rewound to an earlier record: its next fetch brings it again
    }
    long bytes = RecordBytes.heldAtMost(record);
    if (!backpressure.admit(consumer, partition, record.offset(), bytes)) {
      return;
    }
    offsets.started(epoch, record.offset());
    heldBytes.hold(epoch, record.offset(), bytes);
    log.debug("polled {}@{}", partition, record.offset());
    DecodeResult decoded = decoder.decode(record.value());
    if (decoded instanceof DecodeResult.Decoded d) {
      Instant recordTime = Instant.ofEpochMilli(record.timestamp());
      waiting.add(new Waiting(epoch, record.offset(), recordTime, d.request()));
      listener.requestAccepted(d.request().requestId());
      return;
    }
    DecodeResult.Rejected rejected = (DecodeResult.Rejected) decoded;
    String reason = rejected.reason().name();
    ProducerRecord<byte[], byte[]> letter =
        resultRecords.deadLetter(record, reason, rejected.message());
    publisher.finished(Completion.published(epoch, record.offset(), letter, null));
    listener.deadLettered(reason);
  }

  private void dispatchWaiting() {
    while (!waiting.isEmpty() && dispatcher.hasCapacity()) {
      Waiting next = waiting.poll();
      dispatcher.dispatch(next.epoch(), next.offset(), () -> upload(next));
    }
  }

  /**
   * Runs on a worker thread. Whatever happens, the request gets a result — except an interrupt
   * (shutdown, revocation), which leaves it uncommitted for its next run.
   */
  private Completion upload(Waiting request) throws InterruptedException {
    UploadResult result;
    try {
      result = uploadJob.run(request.request(), request.recordTime());
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception | Error e) { // a bug must answer the request, not freeze its partition
      log.error("request {} failed unexpectedly", request.request().requestId(), e);
      result = uploadJob.internalError(request.request(), e);
    }
    return Completion.published(
        request.epoch(), request.offset(), resultRecords.result(result), result);
  }

  /** Takes the completions reported so far (waiting up to {@code wait} for the first). */
  private void collect(Duration wait) throws InterruptedException {
    for (Completion completion : dispatcher.completed(wait)) {
      if (completion.crash() != null) {
        throw new IllegalStateException("an upload job crashed", completion.crash());
      }
      if (!completion.abandoned() && offsets.isCurrent(completion.epoch())) {
        publisher.finished(completion);
      } else {
        heldBytes.release(completion.epoch(), completion.offset());
      }
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

  /** Completions handed from the dispatcher to the loop; {@link #collect} is the one. */
  @FunctionalInterface
  interface Collector {
    void collect(Duration wait) throws InterruptedException;
  }
}
