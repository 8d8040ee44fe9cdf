package io.uploadstream.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns Ctrl-C (JVM shutdown) into an interrupt of a long-running command's thread, and holds the
 * shutdown until that thread has cleaned up and called {@link #finished()}, so output is flushed
 * and clients are closed before the JVM exits.
 */
final class InterruptOnShutdown {
  private static final Duration CLEANUP_GRACE = Duration.ofSeconds(10);

  private final Thread hook;
  private final CountDownLatch done = new CountDownLatch(1);

  private InterruptOnShutdown(Thread worker) {
    this.hook = new Thread(() -> interruptAndWait(worker), "upload-stream-shutdown");
  }

  static InterruptOnShutdown register(Thread worker) {
    InterruptOnShutdown stop = new InterruptOnShutdown(worker);
    Runtime.getRuntime().addShutdownHook(stop.hook);
    return stop;
  }

  /** The worker is done: let a pending shutdown proceed, or drop the hook if none is. */
  void finished() {
    done.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook is running and now returns.
    }
  }

  private void interruptAndWait(Thread worker) {
    worker.interrupt();
    try {
      done.await(CLEANUP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
