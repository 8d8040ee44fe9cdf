package io.uploadstream.processor;

import io.uploadstream.config.StopBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;

/**
 * Runs jobs on its worker threads (as many as uploads may run at once) and hands their completions
 * back to the loop thread through a queue. It accepts up to twice as many jobs as it has workers:
 * the extra ones wait in the executor's queue, so a worker that finishes takes its next job at once
 * instead of idling until the loop's next turn (which may be busy committing). The loop asks {@link
 * #hasCapacity()} before dispatching and pauses its partitions when the answer is no.
 *
 * <p>All methods but the workers' completion hand-off are called only from the loop thread.
 */
final class Dispatcher implements AutoCloseable {
  private final int capacity;
  private final ExecutorService workers;
  private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
  private final Set<Job> running = new HashSet<>();

  Dispatcher(int capacity, ExecutorService workers) {
    this.capacity = capacity;
    this.workers = workers;
  }

  boolean hasCapacity() {
    return running.size() < 2 * capacity;
  }

  /** Jobs dispatched and not yet completed: running, or queued for a free worker. */
  int inFlight() {
    return running.size();
  }

  void dispatch(OffsetTracker.Epoch epoch, long offset, Job.Work work) {
    Job job = new Job(epoch, offset, work, completions);
    running.add(job);
    workers.execute(job);
  }

  /** Whether any job of these partitions is still running or queued. */
  boolean isRunningFor(Collection<TopicPartition> partitions) {
    return running.stream().anyMatch(job -> partitions.contains(job.epoch().partition()));
  }

  /**
   * Completions reported since the last call, waiting up to {@code wait} for the first one when
   * there are none yet.
   */
  List<Completion> completed(Duration wait) throws InterruptedException {
    List<Completion> done = new ArrayList<>();
    if (completions.isEmpty() && !wait.isZero() && !running.isEmpty()) {
      Completion first = completions.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
      if (first != null) {
        done.add(first);
      }
    }
    completions.drainTo(done);
    done.forEach(this::forget);
    return done;
  }

  /**
   * Cancels the running jobs of {@code partitions} without waiting for them; their completions
   * arrive as abandoned.
   */
  void cancel(Collection<TopicPartition> partitions) {
    running.stream()
        .filter(job -> partitions.contains(job.epoch().partition()))
        .forEach(Job::cancel);
  }

  void cancelAll() {
    running.forEach(Job::cancel);
  }

  private void forget(Completion completion) {
    running.removeIf(
        job -> job.epoch() == completion.epoch() && job.offset() == completion.offset());
  }

  /**
   * Cancels what still runs and lets the threads go without waiting: the loop already gave
   * cancelled uploads {@link StopBudget#CANCELLED_STOP_WAIT} to stop, and a cancelled upload keeps
   * its multipart upload, so nothing is lost when its parts are cut off.
   */
  @Override
  public void close() {
    cancelAll();
    workers.shutdownNow();
  }
}
