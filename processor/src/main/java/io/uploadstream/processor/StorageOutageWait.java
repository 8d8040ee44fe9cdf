package io.uploadstream.processor;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.uploadstream.contract.ErrorCode;
import io.uploadstream.upload.FileOpener;
import io.uploadstream.upload.KeyHold;
import io.uploadstream.upload.UploadOutcome;
import io.uploadstream.upload.UploadOutcome.UploadFailed;
import io.uploadstream.upload.UploadSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rides out a store outage: when an upload fails although its parts were retried (the store is down
 * or refusing everything: a retryable {@code STORAGE_ERROR}), the whole upload is tried again after
 * a growing pause, for up to {@code window}. Meanwhile the job holds its slot, the dispatcher fills
 * and the loop pauses its partitions — consumption waits for the store instead of failing every
 * request. Past the window the request fails with {@code retryable=true}.
 *
 * <p>An outage is the store down, not one object failing: after each such failure the bucket is
 * checked afresh ({@link StoreCheck}). When it answers, the upload gets one more attempt (the store
 * may just have come back); failing again with the bucket answering, the request fails at once, its
 * message saying the store is up and this object kept failing (S3Proxy's 500 for a name over 255
 * bytes, say), so one such object does not hold its partition for the whole window.
 *
 * <p>The request's key is held in the uploader's keys in flight from the first attempt to the final
 * outcome: between attempts the upload kept for resuming stores no part and would look abandoned to
 * this instance's janitor. This class owns that hold because it owns the attempts.
 *
 * <p>This is a separate concern from the per-part retries (a flaky request), so it is its own named
 * resilience4j {@code Retry}: {@value #NAME}.
 */
final class StorageOutageWait {
  static final String NAME = "storage-outage";
  private static final Logger log = LoggerFactory.getLogger(StorageOutageWait.class);
  private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

  /** Failed attempts in a row, the bucket answering after each, that end the request. */
  private static final int ATTEMPTS_WITH_STORE_UP = 2;

  private final Duration window;
  private final Clock clock;
  private final Function<String, KeyHold> holdKey;
  private final StoreCheck store;

  /**
   * {@code holdKey}: {@code MultipartUploader::holdKey} of the uploader the attempts use; {@code
   * store}: checks the bucket after an attempt failed as if the store were down.
   */
  StorageOutageWait(
      Duration window, Clock clock, Function<String, KeyHold> holdKey, StoreCheck store) {
    this.window = window;
    this.clock = clock;
    this.holdKey = Objects.requireNonNull(holdKey, "holdKey");
    this.store = Objects.requireNonNull(store, "store");
  }

  /** Every failure waited out as an outage, whatever the bucket answers. */
  StorageOutageWait(Duration window, Clock clock, Function<String, KeyHold> holdKey) {
    this(window, clock, holdKey, StoreCheck.ALWAYS_DOWN);
  }

  /** Every attempt opens the file through {@code opener} again, which checks it again. */
  @SuppressWarnings("try") // the hold is only ever closed
  UploadOutcome upload(FileUploader uploader, UploadSpec spec, FileOpener opener)
      throws InterruptedException {
    try (KeyHold held = holdKey.apply(spec.key())) {
      return window.isZero()
          ? uploader.upload(spec, opener)
          : uploadThroughOutage(uploader, spec, opener);
    }
  }

  private UploadOutcome uploadThroughOutage(
      FileUploader uploader, UploadSpec spec, FileOpener opener) throws InterruptedException {
    Instant giveUpAt = clock.instant().plus(window);
    AtomicInteger failedWithStoreUp = new AtomicInteger();
    RetryConfig config =
        RetryConfig.<UploadOutcome>custom()
            .maxAttempts(Integer.MAX_VALUE)
            .intervalFunction(
                IntervalFunction.ofExponentialRandomBackoff(FIRST_PAUSE, 2.0, 0.3, LONGEST_PAUSE))
            .retryOnResult(
                outcome ->
                    isOutage(outcome)
                        && failedWithStoreUp.get() < ATTEMPTS_WITH_STORE_UP
                        && clock.instant().isBefore(giveUpAt))
            .retryOnException(e -> false) // bugs or interruptions: never retried here
            .build();
    AtomicReference<UploadOutcome> last = new AtomicReference<>();
    Retry retry = Retry.of(NAME, config);
    retry
        .getEventPublisher()
        .onRetry(
            event ->
                log.warn(
                    "{} for {} (s3://{}/{}), trying the upload again in {}: {}",
                    failedWithStoreUp.get() == 0
                        ? "store unavailable"
                        : "store up but the upload failed",
                    spec.requestId(),
                    spec.bucket(),
                    spec.key(),
                    event.getWaitInterval(),
                    last.get().fold(stored -> "", UploadFailed::message)));
    try {
      UploadOutcome outcome =
          retry.executeCheckedSupplier(
              () -> {
                UploadOutcome attempt = uploader.upload(spec, opener);
                last.set(attempt);
                countStoreUp(attempt, failedWithStoreUp);
                return attempt;
              });
      return failedWithStoreUp.get() < ATTEMPTS_WITH_STORE_UP
          ? outcome
          : objectKeptFailing(outcome, spec);
    } catch (CancellationException e) {
      // resilience4j's answer to an interrupt during the pause: report it the standard way
      Thread.interrupted();
      InterruptedException interrupted =
          new InterruptedException("interrupted waiting for the store");
      interrupted.initCause(e);
      throw interrupted;
    } catch (InterruptedException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("unexpected failure uploading " + spec.key(), e);
    }
  }

  /** After a failure like an outage, counts it when the bucket answers and starts over when not. */
  private void countStoreUp(UploadOutcome attempt, AtomicInteger failedWithStoreUp) {
    if (!isOutage(attempt)) {
      return;
    }
    if (store.problem().isPresent()) {
      failedWithStoreUp.set(0);
      return;
    }
    failedWithStoreUp.incrementAndGet();
  }

  private UploadOutcome objectKeptFailing(UploadOutcome outcome, UploadSpec spec) {
    return outcome.fold(
        stored -> stored,
        failed -> {
          String message =
              "the store is up (bucket '"
                  + spec.bucket()
                  + "' answered) but this object kept failing, "
                  + ATTEMPTS_WITH_STORE_UP
                  + " attempts in a row: "
                  + failed.message();
          log.warn("{}: {}", spec.requestId(), message);
          return new UploadFailed(
              failed.code(),
              message,
              failed.retryable(),
              failed.startedAt(),
              failed.leftForResume());
        });
  }

  private static boolean isOutage(UploadOutcome outcome) {
    return outcome.fold(
        stored -> false, failed -> failed.code() == ErrorCode.STORAGE_ERROR && failed.retryable());
  }
}
