package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobTest {
  private final ExecutorService pool = Executors.newSingleThreadExecutor();
  private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
  private final OffsetTracker.Epoch epoch = new OffsetTracker().assign(new TopicPartition("t", 0));

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void cancelledBeforeStart_neverRuns_butStillReportsAbandoned() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    Job job =
        new Job(
            epoch,
            1,
            () -> {
              ran.countDown();
              return Completion.abandoned(epoch, 1);
            },
            completions);
    job.cancel();
    pool.execute(job);

    Completion completion = completions.poll(10, TimeUnit.SECONDS);
    assertThat(completion).isNotNull();
    assertThat(completion).isInstanceOf(Completion.Abandoned.class);
    assertThat(ran.getCount()).isEqualTo(1);
  }

  @Test
  void cancelWhileRunning_interruptsTheWork_andReportsAbandoned() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    Job job =
        new Job(
            epoch,
            2,
            () -> {
              started.countDown();
              new CountDownLatch(1).await(); // blocks until interrupted
              throw new AssertionError("not reached");
            },
            completions);
    pool.execute(job);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    job.cancel();

    Completion completion = completions.poll(10, TimeUnit.SECONDS);
    assertThat(completion).isNotNull();
    assertThat(completion).isInstanceOf(Completion.Abandoned.class);
    assertThat(completion.offset()).isEqualTo(2);
  }

  @Test
  void lateCancel_doesNotLeakAnInterruptIntoTheNextJob() throws Exception {
    Job first = new Job(epoch, 3, () -> Completion.abandoned(epoch, 3), completions);
    pool.execute(first);
    assertThat(completions.poll(10, TimeUnit.SECONDS)).isNotNull();
    first.cancel(); // after it finished

    CountDownLatch sawInterrupt = new CountDownLatch(1);
    Job second =
        new Job(
            epoch,
            4,
            () -> {
              if (Thread.currentThread().isInterrupted()) {
                sawInterrupt.countDown();
              }
              return Completion.abandoned(epoch, 4);
            },
            completions);
    pool.execute(second);
    await().atMost(Duration.ofSeconds(10)).until(() -> !completions.isEmpty());
    assertThat(sawInterrupt.getCount()).isEqualTo(1);
  }
}
