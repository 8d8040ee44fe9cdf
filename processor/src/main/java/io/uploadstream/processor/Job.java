package io.uploadstream.processor;

import java.util.concurrent.BlockingQueue;

/**
 * One request's work on a worker thread. It always reports exactly one {@link Completion} —
 * published or abandoned — so the loop's count of jobs in flight stays exact. {@link #cancel}
 * interrupts the work only while this job is the one running on its thread.
 */
final class Job implements Runnable {

  /** The work itself: returns the completion to publish; interrupted means abandoned. */
  @FunctionalInterface
  interface Work {
    Completion run() throws InterruptedException;
  }

  private final OffsetTracker.Epoch epoch;
  private final long offset;
  private final Work work;
  private final BlockingQueue<Completion> completions;
  private Thread runner; // guarded by this
  private boolean cancelled; // guarded by this

  Job(OffsetTracker.Epoch epoch, long offset, Work work, BlockingQueue<Completion> completions) {
    this.epoch = epoch;
    this.offset = offset;
    this.work = work;
    this.completions = completions;
  }

  OffsetTracker.Epoch epoch() {
    return epoch;
  }

  long offset() {
    return offset;
  }

  @Override
  public void run() {
    Completion completion = Completion.abandoned(epoch, offset);
    try {
      if (start()) {
        completion = work.run();
      }
    } catch (InterruptedException e) {
      // Cancelled: the upload kept its multipart upload; the record stays uncommitted, and its
      // next owner resumes that upload.
    } catch (RuntimeException | Error e) {
      completion = Completion.crashed(epoch, offset, e);
    } finally {
      finish();
      completions.add(completion);
    }
  }

  /** Stops the work: before it starts it never runs; while it runs its thread is interrupted. */
  synchronized void cancel() {
    if (cancelled) {
      return; // once is enough: the work is already stopping
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
    // A cancel that raced with the end of the work must not leak into the pool's next job.
    Thread.interrupted();
  }
}
