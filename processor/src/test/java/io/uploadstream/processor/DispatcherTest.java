package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatcher on real worker threads, with jobs that finish when the test opens their gate. */
class DispatcherTest {
  private static final TopicPartition P0 = new TopicPartition("requests", 0);
  private static final TopicPartition P1 = new TopicPartition("requests", 1);

  private final ExecutorService workers = Executors.newFixedThreadPool(2);
  private final OffsetTracker offsets = new OffsetTracker();
  private final OffsetTracker.Epoch epoch0 = offsets.assign(P0);
  private final OffsetTracker.Epoch epoch1 = offsets.assign(P1);
  private final CountDownLatch gate = new CountDownLatch(1);
  private final Dispatcher dispatcher = new Dispatcher(2, workers);

  @AfterEach
  void stop() {
    gate.countDown();
    dispatcher.close();
  }

  @Test
  void full_atTwiceItsWorkers_andRoomAgainOnceAJobCompletes() throws Exception {
    for (long offset = 0; offset < 4; offset++) {
      assertThat(dispatcher.hasCapacity()).as("room for job %d", offset).isTrue();
      dispatcher.dispatch(epoch0, offset, gated(epoch0, offset));
    }

    assertThat(dispatcher.hasCapacity()).as("2 running + 2 queued").isFalse();
    assertThat(dispatcher.inFlight()).isEqualTo(4);

    gate.countDown();
    List<Completion> done = completedAtLeast(1);

    assertThat(done).allSatisfy(c -> assertThat(c).isInstanceOf(Completion.Published.class));
    assertThat(dispatcher.hasCapacity()).isTrue();
    assertThat(dispatcher.inFlight()).isEqualTo(4 - done.size());
  }

  @Test
  void cancel_stopsOnlyThatPartitionsJobs_whichReportAbandoned() throws Exception {
    dispatcher.dispatch(epoch0, 7, gated(epoch0, 7));
    dispatcher.dispatch(epoch1, 9, gated(epoch1, 9));

    dispatcher.cancel(Set.of(P0));
    List<Completion> done = completedAtLeast(1);

    assertThat(done)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c).isInstanceOf(Completion.Abandoned.class);
              assertThat(c.offset()).isEqualTo(7);
            });
    assertThat(dispatcher.isRunningFor(Set.of(P0))).isFalse();
    assertThat(dispatcher.isRunningFor(Set.of(P1)))
        .as("the other partition's job runs on")
        .isTrue();
  }

  @Test
  void aJobThatThrows_reportsCrashed_withItsCause() throws Exception {
    IllegalStateException bug = new IllegalStateException("bug");
    dispatcher.dispatch(
        epoch0,
        3,
        () -> {
          throw bug;
        });

    assertThat(completedAtLeast(1))
        .singleElement()
        .isInstanceOfSatisfying(
            Completion.Crashed.class, crashed -> assertThat(crashed.crash()).isSameAs(bug));
    assertThat(dispatcher.inFlight()).isZero();
  }

  @Test
  void completed_withNothingInFlight_returnsAtOnce() throws Exception {
    long start = System.nanoTime();

    assertThat(dispatcher.completed(Duration.ofSeconds(30))).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  private Job.Work gated(OffsetTracker.Epoch epoch, long offset) {
    return () -> {
      gate.await();
      return Completion.published(epoch, offset, List.of(), null);
    };
  }

  /** Collects completions (on this thread, as the loop does) until there are {@code count}. */
  private List<Completion> completedAtLeast(int count) throws InterruptedException {
    List<Completion> done = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (done.size() < count) {
      assertThat(System.nanoTime()).as("%d completions within 10 s", count).isLessThan(deadline);
      done.addAll(dispatcher.completed(Duration.ofMillis(100)));
    }
    return done;
  }
}
