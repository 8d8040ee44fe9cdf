package io.uploadstream.dev;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM / Ctrl-C into a clean stop of the dev stack. The JVM runs shutdown hooks and then
 * halts, so a hook that only signals the main thread lets the JVM die before anything is closed.
 * This hook asks the main thread to stop, waits until it has closed the stack, and then ends the
 * JVM with the status of that stop (0 after a clean one) instead of the signal's 130 / 143.
 */
final class StopOnSignal {
  private static final Logger log = LoggerFactory.getLogger(StopOnSignal.class);

  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final AtomicInteger status = new AtomicInteger(1);
  private final Thread hook;

  private StopOnSignal(Thread worker, boolean interruptWorker, Duration closeTimeout) {
    this.hook =
        new Thread(() -> onSignal(worker, interruptWorker, closeTimeout), "dev-shutdown-hook");
  }

  /**
   * Registers the hook. {@code worker} is the thread that closes the stack; with {@code
   * interruptWorker} a signal also interrupts it (a demo blocked waiting for results), otherwise it
   * is expected to be waiting in {@link #awaitRequest}. {@code closeTimeout} bounds the wait for
   * the close; past it the JVM halts with status 1.
   */
  static StopOnSignal register(Thread worker, boolean interruptWorker, Duration closeTimeout) {
    StopOnSignal stop = new StopOnSignal(worker, interruptWorker, closeTimeout);
    Runtime.getRuntime().addShutdownHook(stop.hook);
    return stop;
  }

  /** Whether a signal asked to stop within {@code timeout}. */
  boolean awaitRequest(Duration timeout) throws InterruptedException {
    return requested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  boolean isRequested() {
    return requested.getCount() == 0;
  }

  /**
   * The stack is closed and the command ends with {@code exitStatus}: a pending signal's hook may
   * now end the JVM with it; without a signal the hook is no longer needed.
   */
  void finished(int exitStatus) {
    status.set(exitStatus);
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook runs and halts with the status just set.
    }
  }

  private void onSignal(Thread worker, boolean interruptWorker, Duration closeTimeout) {
    log.info("signal received: stopping the dev stack");
    requested.countDown();
    if (interruptWorker) {
      worker.interrupt();
    }
    try {
      if (!finished.await(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        log.error("the dev stack did not stop within {}; exiting anyway", closeTimeout);
        status.set(1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Runtime.getRuntime().halt(status.get());
  }
}
