package io.uploadstream.processor;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.ClosedDirectoryStreamException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One opening on its own thread, as {@link OpenDeadline} sees it: where it may be blocked right now
 * (a directory handle and a name), whether anyone still wants its channel, and how to free its
 * thread when it is stuck on a FIFO: the thread is signalled, so that its open(2) is interrupted
 * and — the JDK retries an interrupted open — looks the name up again (which ends it when the FIFO
 * was removed), and the FIFO is opened for reading and writing through the same directory handle,
 * which never blocks on Linux and wakes the reader waiting for a writer.
 *
 * <p>Threads: {@link #run} and {@link #during} on the opening thread; the rest on others. Shared
 * state is guarded by {@code this}; a signal is only sent while the thread is inside an open.
 */
final class OpenAttempt {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final Logger log = LoggerFactory.getLogger(OpenAttempt.class);
  private static final int FILE_TYPE_MASK = 0170000;
  private static final int FIFO_TYPE = 0010000;

  /** An open that may block: through {@code directory} (null: by path) of {@code name}. */
  private record Blocking(SecureDirectoryStream<Path> directory, Path name, Path realPath) {}

  private final CountDownLatch finished = new CountDownLatch(1);
  private Blocking blocking;
  private long nativeThread;
  private boolean abandoned;
  private boolean delivered;
  private boolean stuck;
  private Runnable whenFreed;

  /** Runs {@code opening}; a channel nobody waits for any more is closed, and null returned. */
  FileChannel run(OpenDeadline.Opening opening) throws IOException {
    synchronized (this) {
      nativeThread = ThreadSignal.current();
    }
    try {
      FileChannel channel = opening.run(this);
      synchronized (this) {
        if (!abandoned) {
          delivered = true;
          return channel;
        }
      }
      channel.close();
      return null;
    } finally {
      finish();
    }
  }

  /** Runs one open that may block, of {@code name} in {@code directory} (null: by its path). */
  <T> T during(
      SecureDirectoryStream<Path> directory, Path name, Path realPath, OpenDeadline.Open<T> open)
      throws IOException {
    synchronized (this) {
      blocking = new Blocking(directory, name, realPath);
    }
    try {
      return open.run();
    } finally {
      synchronized (this) {
        blocking = null;
      }
    }
  }

  /** Gives up on the channel; false when it was delivered already (the caller owns it then). */
  synchronized boolean abandon() {
    if (delivered) {
      return false;
    }
    abandoned = true;
    return true;
  }

  /**
   * Marks the attempt as stuck past its deadline; {@code whenFreed} runs once its thread is free.
   * False when it is free already.
   */
  synchronized boolean markStuck(Runnable whenFreed) {
    if (finished.getCount() == 0) {
      return false;
    }
    this.stuck = true;
    this.whenFreed = whenFreed;
    return true;
  }

  private void finish() {
    Runnable freed;
    synchronized (this) {
      finished.countDown();
      freed = stuck ? whenFreed : null;
    }
    if (freed != null) {
      freed.run();
    }
  }

  boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Whether the open waits on something that is not a regular file or directory (a FIFO, a device),
   * or on a name that is gone by now: an open(2) blocks on little else.
   */
  boolean waitsOnAFifoOrDevice() {
    Blocking now = blockingNow();
    if (now == null) {
      return false;
    }
    BasicFileAttributes found = attributes(now);
    return found == null || found.isOther();
  }

  /** One try at freeing the thread (see the class comment); harmless when it is free already. */
  void release() {
    Blocking now;
    synchronized (this) {
      now = blocking;
      if (now == null) {
        return;
      }
      ThreadSignal.signal(nativeThread); // under the lock: the thread is inside this open
    }
    if (isFifo(now)) {
      openForWriting(now);
    }
  }

  private synchronized Blocking blockingNow() {
    return blocking;
  }

  private static boolean isFifo(Blocking blocking) {
    BasicFileAttributes found = attributes(blocking);
    if (found == null || !found.isOther()) {
      return false;
    }
    try {
      int mode = (Integer) Files.getAttribute(blocking.realPath(), "unix:mode", NOFOLLOW);
      return (mode & FILE_TYPE_MASK) == FIFO_TYPE; // never open a device for writing
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Opening a FIFO for writing wakes its readers; read-write never blocks on Linux. */
  private static void openForWriting(Blocking blocking) {
    Set<OpenOption> readWrite = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, NOFOLLOW);
    try {
      if (blocking.directory() == null) {
        FileChannel.open(blocking.realPath(), readWrite).close();
      } else {
        blocking.directory().newByteChannel(blocking.name(), readWrite).close();
      }
    } catch (IOException | ClosedDirectoryStreamException e) {
      log.debug(
          "could not open {} to wake the open blocked on it: {}",
          blocking.realPath(),
          e.toString());
    }
  }

  private static BasicFileAttributes attributes(Blocking blocking) {
    try {
      if (blocking.directory() == null) {
        return Files.readAttributes(blocking.realPath(), BasicFileAttributes.class, NOFOLLOW);
      }
      return blocking
          .directory()
          .getFileAttributeView(blocking.name(), BasicFileAttributeView.class, NOFOLLOW)
          .readAttributes();
    } catch (IOException | ClosedDirectoryStreamException e) {
      return null; // gone or finished meanwhile: nothing to judge
    }
  }
}
