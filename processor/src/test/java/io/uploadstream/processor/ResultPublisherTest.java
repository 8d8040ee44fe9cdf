package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ResultPublisherTest {
  private static final TopicPartition P0 = new TopicPartition("requests", 0);
  private static final int SLOTS = 8;

  /** Records what was committed; fails the next commits when told to. */
  private static final class RecordingCommitter implements ResultCommitter {
    final List<List<String>> batches = new ArrayList<>();
    final List<Map<TopicPartition, OffsetAndMetadata>> offsets = new ArrayList<>();
    int failNext;
    boolean fatal;

    @Override
    public void commit(
        List<ProducerRecord<byte[], byte[]>> records, Map<TopicPartition, OffsetAndMetadata> commit)
        throws CommitRejected {
      if (failNext > 0) {
        failNext--;
        throw new CommitRejected("broker says no", null, fatal);
      }
      batches.add(
          records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList());
      offsets.add(commit);
    }

    @Override
    public void close() {}
  }

  private final OffsetTracker offsets = new OffsetTracker();
  private final RecordingCommitter committer = new RecordingCommitter();
  private final OffsetTracker.Epoch epoch = offsets.assign(P0);

  private final HeldBytes heldBytes = new HeldBytes(32L * 1024 * 1024);

  private ResultPublisher publisher(boolean hold) {
    return publisher(hold, BatchLimit.DEFAULT);
  }

  private ResultPublisher publisher(boolean hold, BatchLimit limit) {
    return new ResultPublisher(
        offsets,
        heldBytes,
        committer,
        ProcessorListener.NONE,
        Lane.SMALL,
        Clock.systemUTC(),
        Duration.ZERO,
        SLOTS,
        hold,
        limit);
  }

  private static Completion.Published done(OffsetTracker.Epoch epoch, long offset) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>("results", ("r" + offset).getBytes(StandardCharsets.UTF_8));
    return Completion.published(epoch, offset, record, null);
  }

  @Test
  void exactlyOnce_holdsAResultUntilEveryEarlierRecordIsDone_thenCommitsItWithItsOffset() {
    ResultPublisher publisher = publisher(true);
    for (long offset = 0; offset < 3; offset++) {
      offsets.started(epoch, offset);
    }
    publisher.finished(done(epoch, 1));
    publisher.finished(done(epoch, 2));
    publisher.publish(0);

    assertThat(committer.batches).as("0 is unfinished: 1 and 2 wait").isEmpty();
    assertThat(publisher.waitingIn(P0)).isEqualTo(2);

    publisher.finished(done(epoch, 0));
    publisher.publish(0);

    assertThat(committer.batches).containsExactly(List.of("r0", "r1", "r2"));
    assertThat(committer.offsets).containsExactly(Map.of(P0, new OffsetAndMetadata(3)));
    assertThat(publisher.waitingIn(P0)).isZero();
  }

  /** A source file to delete is handed over after its result is committed, never before. */
  @Test
  void aSourceDeletion_startsOnlyOnceItsResultIsCommitted() {
    List<String> events = new ArrayList<>();
    ResultCommitter inOrder =
        new ResultCommitter() {
          @Override
          public void commit(
              List<ProducerRecord<byte[], byte[]>> records,
              Map<TopicPartition, OffsetAndMetadata> commit)
              throws CommitRejected {
            committer.commit(records, commit);
            events.add("committed");
          }

          @Override
          public void close() {}
        };
    ResultPublisher publisher =
        new ResultPublisher(
            offsets,
            heldBytes,
            inOrder,
            ProcessorListener.NONE,
            Lane.SMALL,
            Clock.systemUTC(),
            Duration.ZERO,
            SLOTS,
            true,
            BatchLimit.DEFAULT);
    offsets.started(epoch, 0);
    SourceDeletion deletion =
        new SourceDeletion(d -> events.add("delete " + d.requestId()), "req-0", null);
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>("results", "r0".getBytes(StandardCharsets.UTF_8));
    publisher.finished(
        Completion.published(epoch, 0, record, result("req-0"), java.util.Optional.of(deletion)));
    committer.failNext = 1;

    publisher.publish(0);
    assertThat(events).as("the commit failed: nothing may be deleted").isEmpty();

    publisher.publishNow();
    assertThat(events).containsExactly("committed", "delete req-0");
  }

  private static io.uploadstream.contract.UploadResult result(String requestId) {
    java.time.Instant now = java.time.Instant.now();
    return new io.uploadstream.contract.UploadResult(
        1,
        requestId,
        null,
        null,
        io.uploadstream.contract.UploadResult.Status.SUCCEEDED,
        "b",
        "k",
        "u",
        1L,
        0,
        "e",
        "t",
        null,
        now,
        now,
        null);
  }

  @Test
  void atLeastOnce_publishesAtOnce_butCommitsOnlyPastFinishedRecords() {
    ResultPublisher publisher = publisher(false);
    offsets.started(epoch, 0);
    offsets.started(epoch, 1);
    publisher.finished(done(epoch, 1));
    publisher.publish(0);

    assertThat(committer.batches).containsExactly(List.of("r1"));
    assertThat(committer.offsets).containsExactly(Map.of());
  }

  @Test
  void failedCommit_keepsEverything_andTheNextAttemptPublishesItOnce() {
    ResultPublisher publisher = publisher(true);
    offsets.started(epoch, 0);
    publisher.finished(done(epoch, 0));
    committer.failNext = 1;

    publisher.publish(0);
    assertThat(committer.batches).isEmpty();
    assertThat(publisher.waitingIn(P0)).isEqualTo(1);

    publisher.publishNow();
    publisher.publish(0);
    assertThat(committer.batches).containsExactly(List.of("r0"));
    assertThat(committer.offsets).containsExactly(Map.of(P0, new OffsetAndMetadata(1)));
  }

  @Test
  void underFullLoad_resultsOfSeveralTurnsWaitForTheCommitIntervalAndGoInOneTransaction() {
    ResultPublisher publisher = timedPublisher(Duration.ofMillis(100));
    finish(publisher, 0);
    publisher.publish(SLOTS);
    finish(publisher, 1);
    finish(publisher, 2);
    publisher.publish(SLOTS); // every slot busy, within the interval: held

    assertThat(committer.batches).containsExactly(List.of("r0"));
    assertThat(publisher.untilDue(SLOTS, Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(100));

    now.set(now.get().plusMillis(100));
    publisher.publish(2 * SLOTS);
    assertThat(committer.batches).containsExactly(List.of("r0"), List.of("r1", "r2"));
  }

  @Test
  void nothingElsePending_aResultIsCommittedAtOnce_evenWithinTheCommitInterval() {
    ResultPublisher publisher = timedPublisher(Duration.ofSeconds(10));
    finish(publisher, 0);
    publisher.publish(0);
    now.set(now.get().plusMillis(5));
    finish(publisher, 1);

    assertThat(publisher.untilDue(0, Duration.ofSeconds(1))).isZero();
    publisher.publish(0);

    assertThat(committer.batches).containsExactly(List.of("r0"), List.of("r1"));
  }

  @Test
  void partlyBusy_theWaitIsTheIntervalScaledByTheShareOfBusySlots() {
    ResultPublisher publisher = timedPublisher(Duration.ofMillis(800));
    finish(publisher, 0);
    publisher.publish(0);
    finish(publisher, 1);

    assertThat(publisher.untilDue(2, Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(200));
    now.set(now.get().plusMillis(199));
    publisher.publish(2);
    assertThat(committer.batches).hasSize(1);

    now.set(now.get().plusMillis(1));
    publisher.publish(2);
    assertThat(committer.batches).containsExactly(List.of("r0"), List.of("r1"));
  }

  @Test
  void nothingHeld_untilDueIsTheLongestWait() {
    ResultPublisher publisher = timedPublisher(Duration.ofMillis(100));

    assertThat(publisher.untilDue(0, Duration.ofMillis(200))).isEqualTo(Duration.ofMillis(200));
    finish(publisher, 0);
    publisher.publish(0);
    assertThat(publisher.untilDue(SLOTS, Duration.ofMillis(200)))
        .as("published: nothing is due")
        .isEqualTo(Duration.ofMillis(200));
  }

  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2025-01-01T00:00:00Z"));

  private ResultPublisher timedPublisher(Duration commitInterval) {
    Clock clock =
        new Clock() {
          @Override
          public Instant instant() {
            return now.get();
          }

          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }
        };
    return new ResultPublisher(
        offsets,
        heldBytes,
        committer,
        ProcessorListener.NONE,
        Lane.SMALL,
        clock,
        commitInterval,
        SLOTS,
        true,
        BatchLimit.DEFAULT);
  }

  private void finish(ResultPublisher publisher, long offset) {
    offsets.started(epoch, offset);
    publisher.finished(done(epoch, offset));
  }

  @Test
  void fatalRejection_stopsTheLoop() {
    ResultPublisher publisher = publisher(true);
    offsets.started(epoch, 0);
    publisher.finished(done(epoch, 0));
    committer.failNext = 1;
    committer.fatal = true;

    assertThatThrownBy(() -> publisher.publish(0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void forgottenPartition_isNeverPublished() {
    ResultPublisher publisher = publisher(true);
    offsets.started(epoch, 0);
    publisher.finished(done(epoch, 0));

    publisher.forget(List.of(P0));
    offsets.revoke(P0);
    publisher.publish(0);

    assertThat(committer.batches).isEmpty();
  }

  @Test
  void aLargeBacklog_goesOutInSeveralTransactions_eachWithTheOffsetsItReleases() {
    ResultPublisher publisher = publisher(true, new BatchLimit(2, Long.MAX_VALUE));
    for (long offset = 0; offset < 5; offset++) {
      offsets.started(epoch, offset);
    }
    for (long offset = 1; offset < 5; offset++) {
      publisher.finished(done(epoch, offset));
    }
    publisher.publish(0);
    assertThat(committer.batches).as("all wait behind offset 0").isEmpty();

    publisher.finished(done(epoch, 0));
    publisher.publishNow();

    assertThat(committer.batches)
        .containsExactly(List.of("r0", "r1"), List.of("r2", "r3"), List.of("r4"));
    assertThat(committer.offsets)
        .containsExactly(
            Map.of(P0, new OffsetAndMetadata(2)),
            Map.of(P0, new OffsetAndMetadata(4)),
            Map.of(P0, new OffsetAndMetadata(5)));
    assertThat(heldBytes.totalBytes()).isZero();
  }

  @Test
  void batchBytes_capTheTransaction_butOneLargerRecordStillGoesAlone() {
    long each = RecordBytes.of(done(epoch, 0).records());
    ResultPublisher publisher = publisher(true, new BatchLimit(1000, each + each / 2));
    for (long offset = 0; offset < 3; offset++) {
      offsets.started(epoch, offset);
      publisher.finished(done(epoch, offset));
    }

    publisher.publishNow();

    assertThat(committer.batches).containsExactly(List.of("r0"), List.of("r1"), List.of("r2"));
    assertThat(committer.offsets).last().isEqualTo(Map.of(P0, new OffsetAndMetadata(3)));
  }

  @Test
  void heldBytes_countWhatWaits_andArePublishedAway() {
    ResultPublisher publisher = publisher(true);
    offsets.started(epoch, 0);
    offsets.started(epoch, 1);
    publisher.finished(done(epoch, 1));

    assertThat(heldBytes.totalBytes()).isEqualTo(RecordBytes.of(done(epoch, 1).records()));
    publisher.finished(done(epoch, 0));
    publisher.publish(0);
    assertThat(heldBytes.totalBytes()).isZero();
  }
}
