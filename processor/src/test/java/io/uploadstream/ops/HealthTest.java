package io.uploadstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.processor.Lane;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class HealthTest {
  private final AtomicBoolean loopRunning = new AtomicBoolean(true);
  private final Assignment assignment = new Assignment(false);
  private final FakeBucket s3 = new FakeBucket();
  private final BucketProbe bucket = new BucketProbe(s3, "uploads");
  private final Health health = new Health(loopRunning::get, assignment, bucket);

  @Test
  void live_whileTheLoopRuns_downOnceItStopped() {
    assertThat(health.live().up()).isTrue();

    loopRunning.set(false);

    assertThat(health.live()).isEqualTo(Health.Status.down("processor loop stopped"));
  }

  @Test
  void ready_onlyAfterJoiningTheGroup_andABucketCheckThatAnswered() {
    bucket.check();
    assertThat(health.ready()).isEqualTo(Health.Status.down("not joined the consumer group yet"));

    assignment.assignmentChanged(Lane.SMALL, Set.of(new TopicPartition("requests", 0)));

    assertThat(health.ready().up()).isTrue();
    assertThat(health.ready().reason()).contains("1 partitions assigned");
  }

  @Test
  void withSizeLanes_readyOnlyOnceBothGroupsJoined() {
    Assignment lanes = new Assignment(true);
    Health health = new Health(loopRunning::get, lanes, bucket);
    bucket.check();
    lanes.assignmentChanged(Lane.SMALL, Set.of(new TopicPartition("requests", 0)));
    assertThat(health.ready()).isEqualTo(Health.Status.down("not joined the consumer groups yet"));

    lanes.assignmentChanged(Lane.LARGE, Set.of(new TopicPartition("requests.large", 0)));

    assertThat(health.ready().up()).isTrue();
    assertThat(health.ready().reason())
        .contains("1 partitions assigned, 1 of the large-request topic");
  }

  @Test
  void ready_withNoPartitionsAssigned_isStillReady_asAStandbyMember() {
    bucket.check();
    assignment.assignmentChanged(Lane.SMALL, Set.of());

    assertThat(health.ready().up()).isTrue();
  }

  @Test
  void ready_isDown_beforeTheFirstBucketCheck() {
    assignment.assignmentChanged(Lane.SMALL, Set.of(new TopicPartition("requests", 0)));

    assertThat(health.ready()).isEqualTo(Health.Status.down("bucket not checked yet"));
  }

  @Test
  void ready_followsTheLastBucketCheck() {
    assignment.assignmentChanged(Lane.SMALL, Set.of(new TopicPartition("requests", 0)));
    s3.reachable(false);
    bucket.check();

    assertThat(health.ready().up()).isFalse();
    assertThat(health.ready().reason()).startsWith("bucket 'uploads' unreachable:");

    s3.reachable(true);
    bucket.check();

    assertThat(health.ready().up()).isTrue();
  }

  @Test
  void ready_isDown_whenTheLoopStopped() {
    bucket.check();
    assignment.assignmentChanged(Lane.SMALL, Set.of(new TopicPartition("requests", 0)));
    loopRunning.set(false);

    assertThat(health.ready()).isEqualTo(Health.Status.down("processor loop stopped"));
  }

  @Test
  void probes_neverCallTheStore_onlyTheScheduledCheckDoes() {
    bucket.check();
    int calls = s3.calls();

    for (int i = 0; i < 10; i++) {
      health.ready();
    }

    assertThat(s3.calls()).isEqualTo(calls);
  }
}
