package io.uploadstream.processor;

import io.uploadstream.config.StopBudget;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of the share group and one upload slot: the thread that owns one share consumer. A
 * share consumer hands out no new record while it holds one (Kafka 4.4), so a processor runs one
 * member per upload it may run at once. Each turn: acquire a record (at most one per poll), plan
 * it, run its upload on a worker while renewing its lock, publish its result, acknowledge it. The
 * upload never blocks this thread: it waits on the worker in slices and renews between them.
 */
final class ShareMember implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ShareMember.class);
  private static final Duration POLL = Duration.ofMillis(200);

  /** How often a member holding a record looks at the stop and the upload's progress. */
  private static final Duration CHECK_EVERY = Duration.ofMillis(250);

  private enum Publication {
    PUBLISHED,
    FAILED,
    LOCK_LOST
  }

  private final ShareConsumer<byte[], byte[]> consumer;
  private final List<String> topics;
  private final ShareAnswers answers;
  private final Executor workers;
  private final Producer<byte[], byte[]> producer;
  private final UploadActivity activity;
  private final ShareStop stop;
  private final ShareTiming timing;
  private final ProcessorListener listener;
  private final Clock clock;

  ShareMember(
      ShareConsumer<byte[], byte[]> consumer,
      List<String> topics,
      ShareAnswers answers,
      Executor workers,
      Producer<byte[], byte[]> producer,
      UploadActivity activity,
      ShareStop stop,
      ShareTiming timing,
      ProcessorListener listener,
      Clock clock) {
    this.consumer = consumer;
    this.topics = List.copyOf(topics);
    this.answers = answers;
    this.workers = workers;
    this.producer = producer;
    this.activity = activity;
    this.stop = stop;
    this.timing = timing;
    this.listener = listener;
    this.clock = clock;
  }

  /** Runs until the stop; closing the consumer releases whatever it acquired and did not serve. */
  @Override
  public void run() {
    try {
      consumer.subscribe(topics);
      while (!stop.requested()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          serve(record);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      close();
    }
  }

  /** One record, from acquisition to its terminal acknowledgement (or its lost lock). */
  private void serve(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
    listener.shareRecord(ShareRecordEvent.ACQUIRED);
    HeldRecord held =
        new HeldRecord(
            consumer,
            record,
            timing.renewEvery(consumer.acquisitionLockTimeoutMs()),
            clock,
            listener);
    ShareOutcome outcome = stop.requested() ? new ShareOutcome.GivenUp("stopping") : work(held);
    if (outcome instanceof ShareOutcome.Answered answered) {
      answer(held, answered);
    } else if (outcome instanceof ShareOutcome.GivenUp givenUp) {
      log.info("releasing {} for another member: {}", describe(record), givenUp.why());
      held.acknowledge(AcknowledgeType.RELEASE);
    } // LockLost: another member has the record; there is nothing left to do here
  }

  private ShareOutcome work(HeldRecord held) throws InterruptedException {
    ShareAnswers.Plan plan = answers.plan(held.record(), held.deliveryCount());
    if (plan instanceof ShareAnswers.AnswerNow now) {
      return now.answer();
    }
    return upload(held, (ShareAnswers.Upload) plan); // the only other plan of the sealed type
  }

  private ShareOutcome upload(HeldRecord held, ShareAnswers.Upload upload)
      throws InterruptedException {
    String requestId = upload.request().requestId();
    listener.requestAccepted(requestId);
    ShareJob job = new ShareJob(() -> answers.upload(upload));
    activity.started(requestId);
    try {
      workers.execute(job);
      Optional<ShareOutcome> endedFirst = hold(held, job, requestId);
      if (endedFirst.isPresent() && job.result() == null) {
        return endedFirst.get();
      }
    } finally {
      activity.ended(requestId);
    }
    if (job.crash() != null) {
      throw new IllegalStateException("an upload job crashed", job.crash());
    }
    return answers.served(job.result());
  }

  /**
   * Waits for the job, renewing the lock as it comes due; empty once the job ended, else why the
   * hold ended first (the job then stopped, its multipart upload kept).
   */
  private Optional<ShareOutcome> hold(HeldRecord held, ShareJob job, String requestId)
      throws InterruptedException {
    while (!job.await(slice(held))) {
      Optional<String> givingUp = reasonToGiveUp(requestId);
      if (givingUp.isPresent()) {
        stopJob(job);
        return Optional.of(new ShareOutcome.GivenUp(givingUp.get()));
      }
      if (!held.renewIfDue()) {
        stopJob(job);
        return Optional.of(new ShareOutcome.LockLost());
      }
    }
    return Optional.empty();
  }

  private Optional<String> reasonToGiveUp(String requestId) {
    if (stop.pastGrace()) {
      return Optional.of("still uploading after the shutdown grace (" + stop.grace() + ")");
    }
    Duration idle = activity.idleFor(requestId);
    if (idle.compareTo(timing.stallTimeout()) > 0) {
      return Optional.of(
          "no part started, stored or retried for "
              + idle.toSeconds()
              + " s (share.stall-timeout "
              + timing.stallTimeout()
              + ")");
    }
    return Optional.empty();
  }

  private static void stopJob(ShareJob job) throws InterruptedException {
    job.cancel();
    job.await(StopBudget.CANCELLED_STOP_WAIT);
  }

  /**
   * Publishes the answer while the lock holds, then acknowledges: ACCEPT or REJECT once the broker
   * acknowledged every record of the answer, RELEASE when publishing failed (the next holder tries
   * again), nothing when the lock went meanwhile (its holder answers).
   */
  private void answer(HeldRecord held, ShareOutcome.Answered answered) throws InterruptedException {
    if (!held.renewIfDue()) {
      return; // held past the lock since the last renewal (a pause): another member answers
    }
    switch (publish(held, answered.records())) {
      case PUBLISHED -> {
        answered.result().ifPresent(listener::resultCommitted);
        answered.deadLetterReason().ifPresent(listener::deadLettered);
        if (held.acknowledge(answered.ack())) {
          answered.afterAccept().ifPresent(SourceDeletion::start);
        }
      }
      case FAILED -> held.acknowledge(AcknowledgeType.RELEASE);
      case LOCK_LOST -> {}
    }
  }

  private Publication publish(HeldRecord held, List<ProducerRecord<byte[], byte[]>> records)
      throws InterruptedException {
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    try {
      records.forEach(record -> acks.add(producer.send(record)));
    } catch (KafkaException e) {
      log.warn("cannot publish the answer to {}: {}", describe(held.record()), e.toString());
      return Publication.FAILED;
    }
    for (Future<RecordMetadata> ack : acks) {
      while (!isDone(ack, held)) {
        if (!held.renewIfDue()) {
          return Publication.LOCK_LOST;
        }
      }
      try {
        ack.get();
      } catch (ExecutionException e) {
        log.warn(
            "publishing the answer to {} failed, releasing it (delivery {}): {}",
            describe(held.record()),
            held.deliveryCount(),
            e.getCause().toString());
        return Publication.FAILED;
      }
    }
    return Publication.PUBLISHED;
  }

  private static boolean isDone(Future<RecordMetadata> ack, HeldRecord held)
      throws InterruptedException {
    try {
      ack.get(slice(held).toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true; // failed: the caller reads why
    }
  }

  /** Until the next look: the next renewal or {@link #CHECK_EVERY}, whichever comes first. */
  private static Duration slice(HeldRecord held) {
    Duration untilRenewal = held.untilRenewal();
    Duration slice = untilRenewal.compareTo(CHECK_EVERY) < 0 ? untilRenewal : CHECK_EVERY;
    return slice.isZero() ? Duration.ofMillis(1) : slice;
  }

  private void close() {
    try {
      consumer.close(StopBudget.CLOSE_WAIT);
    } catch (KafkaException e) {
      log.warn("closing a share consumer failed: {}", e.toString());
    }
  }

  private static String describe(ConsumerRecord<byte[], byte[]> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }
}
