package io.uploadstream.processor;

import io.uploadstream.config.StopBudget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the loop lets go of work: partitions moving to another instance (rebalance callbacks, which
 * run inside {@code poll} on the loop thread) and its own shutdown. Uploads get a grace to finish
 * ({@link StopBudget}); those still running then are cancelled, and their multipart uploads are
 * kept, not aborted, for the request's next owner to resume. Their records stay uncommitted.
 *
 * <p>Called only from the loop thread.
 */
final class Handover implements ConsumerRebalanceListener {
  private static final Logger log = LoggerFactory.getLogger(Handover.class);

  private final Consumer<byte[], byte[]> consumer;
  private final OffsetTracker offsets;
  private final Dispatcher dispatcher;
  private final ResultPublisher publisher;
  private final Backpressure backpressure;
  private final Intake intake;
  private final ProcessorListener listener;
  private final Lane lane;
  private final Clock clock;
  private final StopBudget stop;
  private final ConsumerLoop.Collector collector;

  Handover(
      Consumer<byte[], byte[]> consumer,
      OffsetTracker offsets,
      Dispatcher dispatcher,
      ResultPublisher publisher,
      Backpressure backpressure,
      Intake intake,
      ProcessorListener listener,
      Lane lane,
      Clock clock,
      StopBudget stop,
      ConsumerLoop.Collector collector) {
    this.consumer = consumer;
    this.offsets = offsets;
    this.dispatcher = dispatcher;
    this.publisher = publisher;
    this.backpressure = backpressure;
    this.intake = intake;
    this.listener = listener;
    this.lane = lane;
    this.clock = clock;
    this.stop = stop;
    this.collector = collector;
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    partitions.forEach(offsets::assign);
    listener.assignmentChanged(lane, consumer.assignment());
    if (lane == Lane.SMALL) {
      log.info("assigned {}", partitions);
    } else {
      log.info("large-file lane: partitions {} assigned", partitions);
    }
  }

  /**
   * The group waits while the uploads of these partitions get the revocation grace; results that
   * finish are committed, the rest are cancelled and handed over with their stored parts.
   */
  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    log.info("revoking {}: finishing their uploads within {}", partitions, stop.revocationGrace());
    intake.forget(partitions);
    try {
      Instant deadline = clock.instant().plus(stop.revocationGrace());
      while (dispatcher.isRunningFor(partitions) && clock.instant().isBefore(deadline)) {
        collector.collect(ConsumerLoop.COLLECT_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    cancel(partitions);
    publisher.publishNow();
    forget(partitions);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    log.warn("lost {}: handing their uploads over without committing", partitions);
    intake.forget(partitions);
    cancel(partitions);
    forget(partitions);
  }

  /**
   * Stops fetching but keeps polling (paused) so the group does not put this instance out while
   * uploads finish within the shutdown grace; results are committed as they come. Past the grace
   * the rest are cancelled, keeping their multipart uploads, and their records stay uncommitted for
   * the next owner.
   */
  void finishForShutdown() throws InterruptedException {
    log.info(
        "stopping: {} uploads in flight, grace {}", dispatcher.inFlight(), stop.shutdownGrace());
    intake.forgetAll();
    drainWhilePolling(clock.instant().plus(stop.shutdownGrace()));
    if (dispatcher.inFlight() > 0) {
      log.info(
          "{} uploads still running after the grace: handing them over", dispatcher.inFlight());
      dispatcher.cancelAll();
      drainWhilePolling(clock.instant().plus(StopBudget.CANCELLED_STOP_WAIT));
    }
    publisher.publishNow();
  }

  private void drainWhilePolling(Instant deadline) throws InterruptedException {
    while (dispatcher.inFlight() > 0 && clock.instant().isBefore(deadline)) {
      consumer.pause(consumer.assignment());
      consumer.poll(Duration.ZERO); // heartbeat the group; nothing is fetched while paused
      collector.collect(ConsumerLoop.COLLECT_WAIT);
      publisher.publish(dispatcher.inFlight());
    }
  }

  /** Their uploads stop and keep their multipart uploads; completions arrive as abandoned. */
  private void cancel(Collection<TopicPartition> partitions) {
    dispatcher.cancel(partitions);
  }

  private void forget(Collection<TopicPartition> partitions) {
    publisher.forget(partitions);
    backpressure.forget(partitions);
    partitions.forEach(offsets::revoke);
    listener.assignmentChanged(lane, consumer.assignment());
  }
}
