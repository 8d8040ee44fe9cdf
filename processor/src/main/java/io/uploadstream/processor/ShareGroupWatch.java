package io.uploadstream.processor;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.admin.ShareMemberDescription;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches this processor's share group through the group coordinator, since a share consumer
 * reports neither its assignment nor a rebalance: whether every member of this processor has joined
 * with partitions assigned (readiness: {@link ProcessorListener#assignmentChanged}, once), and how
 * many records the group has not finished ({@link ProcessorListener#sharePending}, the signal to
 * scale on). Runs on its own scheduler thread; a failed look is retried at the next.
 */
final class ShareGroupWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShareGroupWatch.class);
  static final Duration JOIN_CHECK_EVERY = Duration.ofSeconds(1);
  static final Duration PENDING_EVERY = Duration.ofSeconds(5);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final Admin admin;
  private final String group;
  private final Set<String> clientIds;
  private final ProcessorListener listener;
  private final ScheduledExecutorService scheduler;
  private volatile boolean joined;

  /**
   * @param clientIds the client ids of this processor's members
   * @param scheduler runs the looks; shut down, and {@code admin} closed, by {@link #close}
   */
  ShareGroupWatch(
      Admin admin,
      String group,
      Set<String> clientIds,
      ProcessorListener listener,
      ScheduledExecutorService scheduler) {
    this.admin = admin;
    this.group = group;
    this.clientIds = Set.copyOf(clientIds);
    this.listener = listener;
    this.scheduler = scheduler;
  }

  ShareGroupWatch start() {
    // The looks log their own failures and never throw (safely): nothing to read from the futures.
    ScheduledFuture<?> unused =
        scheduler.scheduleWithFixedDelay(
            safely(this::checkJoined), 0, JOIN_CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    ScheduledFuture<?> unusedToo =
        scheduler.scheduleWithFixedDelay(
            safely(this::reportPending), 0, PENDING_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** A task that throws would never run again: log and keep the schedule. */
  private Runnable safely(Runnable look) {
    return () -> {
      try {
        look.run();
      } catch (RuntimeException e) {
        log.warn("looking at share group {} failed: {}", group, e.toString());
      }
    };
  }

  boolean joined() {
    return joined;
  }

  /** Joined once the coordinator lists each of our members with partitions assigned. */
  void checkJoined() {
    if (joined) {
      return;
    }
    Optional<ShareGroupDescription> description =
        get(admin.describeShareGroups(List.of(group)).describedGroups().get(group));
    if (description.isEmpty()) {
      return; // no member has heartbeated yet: the coordinator does not know the group
    }
    Set<TopicPartition> assigned = new HashSet<>();
    int ours = 0;
    for (ShareMemberDescription member : description.get().members()) {
      Set<TopicPartition> partitions = member.assignment().topicPartitions();
      if (clientIds.contains(member.clientId()) && !partitions.isEmpty()) {
        ours++;
        assigned.addAll(partitions);
      }
    }
    if (ours == clientIds.size()) {
      joined = true;
      log.info("joined share group {}: {} members, partitions {}", group, ours, assigned);
      listener.assignmentChanged(Lane.SMALL, assigned); // the request topic: no other lane
    }
  }

  /** The group's unfinished records over all its partitions (the coordinator's lag). */
  void reportPending() {
    Optional<Map<TopicPartition, SharePartitionOffsetInfo>> offsets =
        get(
            admin
                .listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec()))
                .partitionsToOffsetInfo(group));
    offsets.ifPresent(
        byPartition ->
            listener.sharePending(
                byPartition.values().stream()
                    .filter(info -> info != null)
                    .mapToLong(info -> info.lag().orElse(0L))
                    .sum()));
  }

  private <T> Optional<T> get(KafkaFuture<T> future) {
    try {
      return Optional.ofNullable(future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    } catch (ExecutionException | TimeoutException e) {
      log.debug("looking at share group {} failed: {}", group, e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    admin.close(Duration.ofSeconds(5));
  }
}
