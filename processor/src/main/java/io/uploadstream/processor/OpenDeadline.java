package io.uploadstream.processor;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.upload.FileRefusedException;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs file opens on threads of their own and waits for each at most a deadline: open(2) of a FIFO
 * blocks until a writer comes, and Java 17 cannot ask for {@code O_NONBLOCK}. An open past the
 * deadline is answered at once — {@code NOT_A_REGULAR_FILE} when what it waits on is not a regular
 * file or directory — so the upload worker is free again, and its thread is released in the
 * background ({@link OpenAttempt#release}). A channel the open returns after that is closed.
 *
 * <p>Threads are created as opens need them and end after a short idle time, so an idle processor
 * holds none; nothing needs closing.
 */
final class OpenDeadline {
  private static final Logger log = LoggerFactory.getLogger(OpenDeadline.class);
  private static final Duration IDLE_THREAD_LIFETIME = Duration.ofSeconds(10);

  /** How long a stuck open is worked on before its thread is given up (and an ERROR logged). */
  private static final Duration RELEASE_TIME = Duration.ofMinutes(1);

  private static final Duration LONGEST_RELEASE_PAUSE = Duration.ofSeconds(1);

  /**
   * Opens past their deadline whose threads are not free yet, at most. A FIFO its writer cannot
   * open for writing (mode 0444) and that stays in place keeps its reader blocked; beyond this
   * many, opens are refused at once rather than a thread spent on each until the process runs out.
   */
  static final int MAX_STUCK_OPENS = 64;

  /** One open(2) or openat(2) of a file or directory. */
  @FunctionalInterface
  interface Open<T> {
    T run() throws IOException;
  }

  /** A whole opening: walks and opens, telling {@code attempt} where it may block. */
  @FunctionalInterface
  interface Opening {
    FileChannel run(OpenAttempt attempt) throws IOException;
  }

  private final Duration deadline;
  private final ExecutorService threads;
  private final AtomicInteger stuck = new AtomicInteger();

  OpenDeadline(Duration deadline) {
    this.deadline = deadline;
    AtomicInteger counter = new AtomicInteger();
    this.threads =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            IDLE_THREAD_LIFETIME.toMillis(),
            TimeUnit.MILLISECONDS,
            new SynchronousQueue<>(),
            runnable -> {
              Thread thread = new Thread(runnable, "file-open-" + counter.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Runs {@code opening} for {@code file} and returns its channel, or fails by the deadline. */
  FileChannel open(Path file, Opening opening) throws IOException {
    if (stuck.get() >= MAX_STUCK_OPENS) {
      throw new FileRefusedException(
          file.toString(),
          ErrorCode.FILE_NOT_READABLE,
          stuck.get() + " earlier opens are still blocked (FIFOs in the allowed roots?): refused");
    }
    OpenAttempt attempt = new OpenAttempt();
    Future<FileChannel> result = threads.submit(() -> attempt.run(opening));
    try {
      return result.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw rethrown(e.getCause());
    } catch (TimeoutException e) {
      return pastTheDeadline(file, attempt, result);
    } catch (InterruptedException e) {
      if (attempt.abandon()) {
        releaseInTheBackground(file, attempt);
      } else {
        uninterruptibly(result).close(); // delivered as we were interrupted: nobody will read it
      }
      Thread.currentThread().interrupt();
      throw new ClosedByInterruptException(); // what an interrupted channel operation throws
    }
  }

  private FileChannel pastTheDeadline(Path file, OpenAttempt attempt, Future<FileChannel> result)
      throws IOException {
    if (!attempt.abandon()) {
      return uninterruptibly(result); // it finished just as the deadline passed
    }
    boolean notAFile = attempt.waitsOnAFifoOrDevice();
    releaseInTheBackground(file, attempt);
    if (notAFile) {
      throw new FileRefusedException(
          file.toString(),
          ErrorCode.NOT_A_REGULAR_FILE,
          "opening it did not finish within "
              + deadline.toMillis()
              + " ms: a FIFO or device is in its place");
    }
    throw new FileRefusedException(
        file.toString(),
        ErrorCode.FILE_NOT_READABLE,
        "opening it did not finish within " + deadline.toMillis() + " ms");
  }

  /** Counts an abandoned attempt as stuck until its thread is free, and works on freeing it. */
  private void releaseInTheBackground(Path file, OpenAttempt attempt) {
    stuck.incrementAndGet();
    if (attempt.markStuck(stuck::decrementAndGet)) {
      threads.execute(() -> release(file, attempt));
    } else {
      stuck.decrementAndGet(); // its thread is free already
    }
  }

  /** Works on a stuck open until its thread is free, with growing pauses, for a bounded time. */
  private void release(Path file, OpenAttempt attempt) {
    long giveUpAt = System.nanoTime() + RELEASE_TIME.toNanos();
    Duration pause = Duration.ofMillis(10);
    try {
      while (!attempt.awaitFinished(pause)) {
        if (System.nanoTime() - giveUpAt > 0) {
          log.error(
              "opening {} is still blocked after {}: its thread stays blocked until the file is"
                  + " opened for writing or the process ends",
              file,
              RELEASE_TIME);
          return;
        }
        attempt.release();
        Duration doubled = pause.multipliedBy(2);
        pause = doubled.compareTo(LONGEST_RELEASE_PAUSE) > 0 ? LONGEST_RELEASE_PAUSE : doubled;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The result of an attempt that delivered it: the future completes at once. */
  private static FileChannel uninterruptibly(Future<FileChannel> result) throws IOException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return result.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw rethrown(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static IOException rethrown(Throwable cause) {
    if (cause instanceof IOException io) {
      return io;
    }
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new IOException(cause);
  }
}
