package io.uploadstream.processor;

import io.uploadstream.contract.DecodeResult;
import io.uploadstream.contract.RequestDecoder;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns polled records into work: takes each record the held-bytes budget has room for (or rewinds
 * its partition to it), dead-letters those that are not requests, queues valid requests until the
 * {@link Dispatcher} has a free slot, and runs each on a worker through the {@link UploadJob}.
 *
 * <p>Called only from the loop thread, but for {@link #upload}, which runs on a worker.
 */
final class Intake {
  private static final Logger log = LoggerFactory.getLogger(Intake.class);

  /** A decoded request waiting for a free upload slot (without its record's bytes). */
  record Waiting(
      OffsetTracker.Epoch epoch, long offset, Instant recordTime, UploadRequest request) {}

  private final Consumer<byte[], byte[]> consumer;
  private final OffsetTracker offsets;
  private final HeldBytes heldBytes;
  private final Backpressure backpressure;
  private final ResultPublisher publisher;
  private final RequestDecoder decoder;
  private final UploadJob uploadJob;
  private final ResultRecords resultRecords;
  private final ProcessorListener listener;
  private final Queue<Waiting> waiting = new ArrayDeque<>();

  Intake(
      Consumer<byte[], byte[]> consumer,
      OffsetTracker offsets,
      HeldBytes heldBytes,
      Backpressure backpressure,
      ResultPublisher publisher,
      RequestDecoder decoder,
      UploadJob uploadJob,
      ResultRecords resultRecords,
      ProcessorListener listener) {
    this.consumer = consumer;
    this.offsets = offsets;
    this.heldBytes = heldBytes;
    this.backpressure = backpressure;
    this.publisher = publisher;
    this.decoder = decoder;
    this.uploadJob = uploadJob;
    this.resultRecords = resultRecords;
    this.listener = listener;
  }

  /** Takes the record on, unless its partition is not ours or the budget has no room for it. */
  void accept(ConsumerRecord<byte[], byte[]> record) {
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
    decoder
        .decode(record.value())
        .handle(
            decoded -> accepted(epoch, record, decoded.request()),
            rejected -> deadLettered(epoch, record, rejected));
  }

  private void accepted(
      OffsetTracker.Epoch epoch, ConsumerRecord<byte[], byte[]> record, UploadRequest request) {
    Instant recordTime = Instant.ofEpochMilli(record.timestamp());
    waiting.add(new Waiting(epoch, record.offset(), recordTime, request));
    listener.requestAccepted(request.requestId());
  }

  /** A refused record goes to the dead letters; a readable requestId is answered as well. */
  private void deadLettered(
      OffsetTracker.Epoch epoch,
      ConsumerRecord<byte[], byte[]> record,
      DecodeResult.Rejected rejected) {
    String reason = rejected.reason().name();
    ProducerRecord<byte[], byte[]> letter =
        resultRecords.deadLetter(record, reason, rejected.message());
    // The answer goes in the same transaction as its dead letter.
    UploadResult answer =
        rejected.echo().map(echo -> uploadJob.refused(echo, rejected.message())).orElse(null);
    List<ProducerRecord<byte[], byte[]>> records =
        answer == null ? List.of(letter) : List.of(letter, resultRecords.result(answer));
    publisher.finished(Completion.published(epoch, record.offset(), records, answer));
    listener.deadLettered(reason);
  }

  /** Hands waiting requests to the dispatcher while it has room. */
  void dispatchWaiting(Dispatcher dispatcher) {
    while (!waiting.isEmpty() && dispatcher.hasCapacity()) {
      Waiting next = waiting.poll();
      dispatcher.dispatch(next.epoch(), next.offset(), () -> upload(next));
    }
  }

  boolean hasWaiting() {
    return !waiting.isEmpty();
  }

  /** Decoded requests waiting for a free upload slot. */
  int waiting() {
    return waiting.size();
  }

  /** Drops the waiting requests of partitions that are no longer ours. */
  void forget(Collection<TopicPartition> partitions) {
    waiting.removeIf(w -> partitions.contains(w.epoch().partition()));
  }

  /** Drops every waiting request (shutdown): they stay uncommitted for the next owner. */
  void forgetAll() {
    waiting.clear();
  }

  /**
   * Runs on a worker thread. Whatever happens, the request gets a result — except an interrupt
   * (shutdown, revocation), which leaves it uncommitted for its next run.
   */
  private Completion upload(Waiting request) throws InterruptedException {
    JobOutcome outcome;
    try {
      outcome = uploadJob.run(request.request(), request.recordTime());
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception | Error e) { // a bug must answer the request, not freeze its partition
      log.error("request {} failed unexpectedly", request.request().requestId(), e);
      outcome = JobOutcome.Answered.of(uploadJob.internalError(request.request(), e));
    }
    return outcome.fold(
        answer ->
            Completion.published(
                request.epoch(),
                request.offset(),
                resultRecords.result(answer.result()),
                answer.result(),
                answer.afterCommit()),
        handOff -> {
          log.debug("request {} handed to the large-file lane", request.request().requestId());
          return Completion.handedOff(
              request.epoch(), request.offset(), resultRecords.handOff(handOff.request()), handOff);
        });
  }
}
