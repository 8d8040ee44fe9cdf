package io.uploadstream.processor;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One request's upload on a worker thread, for a share-group member that keeps the record's lock
 * meanwhile. The member waits for the result in slices ({@link #await}) and renews between them;
 * {@link #cancel} interrupts the upload, which then keeps its multipart upload for whoever gets the
 * record next. Like {@link Job}: a cancel before the start means it never runs, and an interrupt
 * never leaks into the worker's next job.
 */
final class ShareJob implements Runnable {

  /** The upload itself; interrupted means given up (nothing to publish). */
  @FunctionalInterface
  interface Work {
    JobOutcome.Answered run() throws InterruptedException;
  }

  private final Work work;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile JobOutcome.Answered result; // set before ended counts down
  private volatile Throwable crash;
  private Thread runner; // guarded by this
  private boolean cancelled; // guarded by this

  ShareJob(Work work) {
    this.work = work;
  }

  @Override
  public void run() {
    try {
      if (start()) {
        result = work.run();
      }
    } catch (InterruptedException e) {
      // Given up: the upload kept its multipart upload for the record's next holder.
    } catch (RuntimeException | Error e) {
      crash = e;
    } finally {
      finish();
      ended.countDown();
    }
  }

  /**
   * Waits up to {@code wait} for the job to end; true once it has (with a result, or none when it
   * was cancelled or crashed).
   */
  boolean await(Duration wait) throws InterruptedException {
    return ended.await(wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  boolean ended() {
    return ended.getCount() == 0;
  }

  /** The result once the job ended; null when it was cancelled or crashed. */
  JobOutcome.Answered result() {
    return result;
  }

  /** What the job threw where it must not (a bug), or null. */
  Throwable crash() {
    return crash;
  }

  /** Stops the work: before it starts it never runs; while it runs its thread is interrupted. */
  synchronized void cancel() {
    if (cancelled) {
      return;
    }
    cancelled = true;
    if (runner != null) {
      runner.interrupt();
    }
  }

  private synchronized boolean start() {
    if (cancelled) {
      return false;
    }
    runner = Thread.currentThread();
    return true;
  }

  private synchronized void finish() {
    runner = null;
    Thread.interrupted(); // a cancel that raced with the end must not reach the next job
  }
}
