package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  private static final TopicPartition P0 = new TopicPartition("requests", 0);
  private static final TopicPartition P1 = new TopicPartition("requests", 1);

  private final OffsetTracker tracker = new OffsetTracker();

  @Test
  void outOfOrderCompletion_commitsOnlyBelowTheLowestUnfinished() {
    OffsetTracker.Epoch epoch = tracker.assign(P0);
    for (long offset = 10; offset <= 14; offset++) {
      tracker.started(epoch, offset);
    }
    tracker.finished(epoch, 11);
    tracker.finished(epoch, 13);
    tracker.finished(epoch, 14);

    assertThat(tracker.committable()).as("10 is unfinished: nothing to commit yet").isEmpty();

    tracker.finished(epoch, 10);
    assertThat(tracker.committable()).isEqualTo(Map.of(P0, new OffsetAndMetadata(12)));

    tracker.finished(epoch, 12);
    assertThat(tracker.committable()).isEqualTo(Map.of(P0, new OffsetAndMetadata(15)));
  }

  @Test
  void committedPosition_isNotOfferedAgain() {
    OffsetTracker.Epoch epoch = tracker.assign(P0);
    tracker.started(epoch, 0);
    tracker.finished(epoch, 0);
    Map<TopicPartition, OffsetAndMetadata> first = tracker.committable();
    tracker.committed(first);

    assertThat(first).containsEntry(P0, new OffsetAndMetadata(1));
    assertThat(tracker.committable()).isEmpty();
  }

  @Test
  void nothingStarted_nothingToCommit() {
    tracker.assign(P0);
    assertThat(tracker.committable()).isEmpty();
  }

  @Test
  void partitionsAreIndependent() {
    OffsetTracker.Epoch e0 = tracker.assign(P0);
    OffsetTracker.Epoch e1 = tracker.assign(P1);
    tracker.started(e0, 5);
    tracker.started(e1, 7);
    tracker.finished(e1, 7);

    assertThat(tracker.committable()).isEqualTo(Map.of(P1, new OffsetAndMetadata(8)));
    assertThat(tracker.unfinished(P0)).isEqualTo(1);
    assertThat(tracker.unfinished(P1)).isZero();
  }

  @Test
  void reassignment_makesEarlierEpochStale() {
    OffsetTracker.Epoch before = tracker.assign(P0);
    tracker.revoke(P0);
    OffsetTracker.Epoch after = tracker.assign(P0);

    assertThat(tracker.isCurrent(before)).isFalse();
    assertThat(tracker.isCurrent(after)).isTrue();
    assertThat(tracker.epoch(P0)).isSameAs(after);
  }

  @Test
  void safePosition_isTheLowestUnfinishedOffset_orTheOneAfterTheLastSeen() {
    OffsetTracker.Epoch epoch = tracker.assign(P0);
    assertThat(tracker.safePosition(epoch)).isEqualTo(-1);
    tracker.started(epoch, 3);
    tracker.started(epoch, 4);
    assertThat(tracker.safePosition(epoch)).isEqualTo(3);
    tracker.finished(epoch, 3);
    assertThat(tracker.safePosition(epoch)).isEqualTo(4);
    tracker.finished(epoch, 4);
    assertThat(tracker.safePosition(epoch)).isEqualTo(5);
  }
}
