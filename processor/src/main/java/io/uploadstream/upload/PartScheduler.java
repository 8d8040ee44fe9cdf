package io.uploadstream.upload;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Sends the parts of one multipart upload. A part takes a permit before it is read and gives its
 * buffer back before it returns the permit, so at most {@code partsInFlight} part buffers exist for
 * this upload, each no larger than the standard part size whatever the file size (larger parts are
 * streamed, see {@link PartContent}); a part an earlier attempt stored, verified beforehand ({@link
 * StoredParts}), is kept and not read again. The first failure cancels the other parts; the caller
 * then aborts the upload, or keeps it for a later attempt when the store is down.
 *
 * <p>{@link #uploadAll()} runs on the caller's thread (the coordinator); parts run on the shared
 * executor.
 */
final class PartScheduler {
  private static final Logger log = LoggerFactory.getLogger(PartScheduler.class);

  /** How long a cancelled upload waits for its running parts to stop before aborting anyway. */
  private static final long STOP_TIMEOUT_SECONDS = 30;

  private final UploadContext upload;
  private final MultipartSession session;
  private final PartPlan plan;
  private final Map<Integer, CompletedPart> adoptedParts;
  private final int partsInFlight;
  private final Semaphore permits;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicLong bytesDone = new AtomicLong();
  private final Queue<CompletedPart> completed = new ConcurrentLinkedQueue<>();
  private final Queue<PartTask> tasks = new ConcurrentLinkedQueue<>();
  private volatile boolean cancelled;

  /** Permits the coordinator holds; touched only by the coordinator thread. */
  private int heldPermits;

  /**
   * @param adoptedParts parts an earlier attempt stored in this upload, each verified to hold the
   *     file's bytes: kept instead of sent; empty for a fresh upload
   */
  PartScheduler(
      UploadContext upload,
      MultipartSession session,
      PartPlan plan,
      Map<Integer, CompletedPart> adoptedParts) {
    this.upload = upload;
    this.session = session;
    this.plan = plan;
    this.adoptedParts = adoptedParts;
    this.partsInFlight = upload.settings().partsInFlight();
    this.permits = new Semaphore(partsInFlight);
  }

  /** Sends every part and returns them sorted by part number, or throws the first failure. */
  List<CompletedPart> uploadAll() throws InterruptedException, IOException {
    try {
      scheduleParts();
      awaitParts();
    } catch (InterruptedException e) {
      cancel();
      awaitStopped();
      throw e;
    }
    throwIfFailed();
    List<CompletedPart> parts = new ArrayList<>(completed);
    parts.sort(Comparator.comparing(CompletedPart::partNumber));
    return parts;
  }

  private void scheduleParts() throws InterruptedException {
    for (int partNumber = 1; partNumber <= plan.partCount(); partNumber++) {
      permits.acquire();
      if (failure.get() != null) {
        heldPermits++;
        cancel();
        return;
      }
      PartTask task = new PartTask(partNumber);
      tasks.add(task);
      try {
        task.future = upload.executor().submit(task);
      } catch (RejectedExecutionException e) { // the executor is shutting down
        recordFailure(partNumber, e);
        cancel(); // releases this task's permit too
        return;
      }
    }
  }

  /** Takes every permit back: then no part of this upload is queued or running. */
  private void awaitParts() throws InterruptedException {
    while (heldPermits < partsInFlight) {
      permits.acquire();
      heldPermits++;
      if (failure.get() != null) {
        cancel();
      }
    }
  }

  /** Waits, ignoring further interrupts, until cancelled parts have stopped (or gives up). */
  private void awaitStopped() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_TIMEOUT_SECONDS);
    boolean stopped = false;
    boolean timedOut = false;
    while (!stopped && !timedOut) {
      try {
        long remaining = deadline - System.nanoTime();
        stopped = permits.tryAcquire(partsInFlight - heldPermits, remaining, TimeUnit.NANOSECONDS);
        timedOut = !stopped;
      } catch (InterruptedException e) {
        // Keep waiting: the caller rethrows the interruption that brought us here.
      }
    }
    if (timedOut) {
      log.warn(
          "parts of multipart upload {} still running {} s after cancellation; aborting anyway",
          session.uploadId(),
          STOP_TIMEOUT_SECONDS);
    }
  }

  private void cancel() {
    cancelled = true;
    tasks.forEach(PartTask::cancel);
  }

  private void throwIfFailed() throws IOException {
    Throwable first = failure.get();
    if (first == null) {
      return;
    }
    if (first instanceof IOException e) {
      throw e;
    }
    if (first instanceof RuntimeException e) {
      throw e;
    }
    if (first instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException("part failed", first);
  }

  private void runPart(int partNumber) {
    long lengthBytes = plan.length(partNumber);
    boolean started = false;
    try {
      if (cancelled || keptAsStored(partNumber, lengthBytes)) {
        return;
      }
      try (PartContent content = PartContent.read(upload, plan.offset(partNumber), lengthBytes)) {
        PartChecksum checksum = content.checksum(upload.settings().checksumAlgorithm());
        started = true;
        upload.listener().partStarted(upload.spec(), partNumber, lengthBytes);
        completed.add(send(partNumber, content, checksum));
      }
      long done = bytesDone.addAndGet(lengthBytes);
      upload
          .listener()
          .partUploaded(upload.spec(), partNumber, lengthBytes, done, plan.fileSizeBytes());
    } catch (Throwable t) { // every failure must reach the coordinator, errors included
      recordFailure(partNumber, t);
    } finally {
      finishPart(partNumber, started);
    }
  }

  /** Whether an earlier attempt stored exactly this part's bytes, which are then kept. */
  private boolean keptAsStored(int partNumber, long lengthBytes) {
    CompletedPart stored = adoptedParts.get(partNumber);
    if (stored == null) {
      return false;
    }
    completed.add(stored);
    bytesDone.addAndGet(lengthBytes);
    upload.listener().partResumed(upload.spec(), partNumber, lengthBytes);
    return true;
  }

  private CompletedPart send(int partNumber, PartContent content, PartChecksum checksum)
      throws IOException {
    return session.uploadPart(
        partNumber,
        content.body(() -> cancelled),
        content.lengthBytes(),
        checksum,
        (attempt, cause) ->
            upload.listener().partRetried(upload.spec(), partNumber, attempt, cause));
  }

  /** Called last by every part that ran, after its content (and buffer) was closed. */
  private void finishPart(int partNumber, boolean started) {
    try {
      if (started) {
        upload.listener().partFinished(upload.spec(), partNumber);
      }
    } finally {
      permits.release();
    }
  }

  private void recordFailure(int partNumber, Throwable t) {
    if (!failure.compareAndSet(null, t)) {
      log.debug("part {} of {} also failed: {}", partNumber, session.uploadId(), t.toString());
    }
  }

  /** One submitted part. Exactly one of {@link #run} and {@link #cancel} releases its permit. */
  private final class PartTask implements Runnable {
    private final int partNumber;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private volatile Future<?> future;

    PartTask(int partNumber) {
      this.partNumber = partNumber;
    }

    @Override
    public void run() {
      if (claimed.compareAndSet(false, true)) {
        runPart(partNumber);
      }
    }

    void cancel() {
      if (claimed.compareAndSet(false, true)) {
        permits.release(); // never started: nobody else will release its permit
        return;
      }
      Future<?> running = future;
      if (running != null) {
        running.cancel(true); // interrupts a retry backoff; the body stream stops the upload
      }
    }
  }
}
