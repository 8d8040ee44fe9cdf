package io.uploadstream.processor;

import io.uploadstream.config.StopBudget;
import io.uploadstream.contract.RequestDecoder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.clients.consumer.Consumer;
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

  private final Consumer<byte[], byte[]> consumer;
  private final String requestTopic;
  private final Dispatcher dispatcher;
  private final ResultCommitter committer;

  private final OffsetTracker offsets = new OffsetTracker();
  private final HeldBytes heldBytes;
  private final Backpressure backpressure;
  private final ResultPublisher publisher;
  private final Intake intake;
  private final Handover handover;

  private final AtomicBoolean stopRequested = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Throwable failure;

  /** Publishes finished work of partitions still ours; frees the rest; a crash stops the loop. */
  private final Completion.Cases collector =
      new Completion.Cases() {
        @Override
        public void published(Completion.Published completion) {
          if (offsets.isCurrent(completion.epoch())) {
            publisher.finished(completion);
          } else {
            heldBytes.release(completion.epoch(), completion.offset());
          }
        }

        @Override
        public void abandoned(Completion.Abandoned completion) {
          heldBytes.release(completion.epoch(), completion.offset());
        }

        @Override
        public void crashed(Completion.Crashed completion) {
          throw new IllegalStateException("an upload job crashed", completion.crash());
        }
      };

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
    this.dispatcher = dispatcher;
    this.committer = committer;
    this.heldBytes = new HeldBytes(settings.maxHeldBytes());
    this.backpressure = new Backpressure(heldBytes, clock);
    this.publisher =
        new ResultPublisher(
            offsets,
            heldBytes,
            committer,
            listener,
            settings.lane(),
            clock,
            settings.commitInterval(),
            settings.uploadSlots(),
            settings.holdResultsUntilCommittable(),
            settings.batchLimit());
    this.intake =
        new Intake(
            consumer,
            offsets,
            heldBytes,
            backpressure,
            publisher,
            decoder,
            uploadJob,
            resultRecords,
            listener);
    this.handover =
        new Handover(
            consumer,
            offsets,
            dispatcher,
            publisher,
            backpressure,
            intake,
            listener,
            settings.lane(),
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
    boolean busy = pending() > 0;
    consumer.poll(busy ? Duration.ZERO : publisher.untilDue(0, IDLE_POLL)).forEach(intake::accept);
    // While uploads run, the turn waits for their completions rather than for records: a result
    // is taken the moment it is ready, and the next poll comes within BUSY_POLL anyway.
    collect(busy ? publisher.untilDue(pending(), BUSY_POLL) : Duration.ZERO);
    intake.dispatchWaiting(dispatcher);
    backpressure.apply(consumer, intake.hasWaiting() || !dispatcher.hasCapacity());
    publisher.publish(pending());
  }

  /** Requests dispatched or waiting for a slot: results still to come. */
  private int pending() {
    return dispatcher.inFlight() + intake.waiting();
  }

  /** Takes the completions reported so far (waiting up to {@code wait} for the first). */
  private void collect(Duration wait) throws InterruptedException {
    for (Completion completion : dispatcher.completed(wait)) {
      completion.handle(collector);
    }
  }

  /**
   * Closes the clients. The consumer leaves the group although it is a static member, so its
   * partitions move at once instead of after the session timeout: a stopped instance is usually
   * gone for good (scale-in, a new pod); only a crashed one comes back under the same id.
   */
  private void closeQuietly() {
    closeQuietly("dispatcher", dispatcher);
    closeQuietly(
        "consumer",
        () ->
            consumer.close(
                CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(StopBudget.CLOSE_WAIT)));
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
