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

  private final Duration window;
  private final Clock clock;
  private final Function<String, KeyHold> holdKey;

  /** {@code holdKey}: {@code MultipartUploader::holdKey} of the uploader the attempts use. */
  StorageOutageWait(Duration window, Clock clock, Function<String, KeyHold> holdKey) {
    this.window = window;
    this.clock = clock;
    this.holdKey = Objects.requireNonNull(holdKey, "holdKey");
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
    RetryConfig config =
        RetryConfig.<UploadOutcome>custom()
            .maxAttempts(Integer.MAX_VALUE)
            .intervalFunction(
                IntervalFunction.ofExponentialRandomBackoff(FIRST_PAUSE, 2.0, 0.3, LONGEST_PAUSE))
            .retryOnResult(outcome -> isOutage(outcome) && clock.instant().isBefore(giveUpAt))
            .retryOnException(e -> false) // bugs or interruptions: never retried here
            .build();
    AtomicReference<UploadOutcome> last = new AtomicReference<>();
    Retry retry = Retry.of(NAME, config);
    retry
        .getEventPublisher()
        .onRetry(
            event ->
                log.warn(
                    "store unavailable for {} (s3://{}/{}), trying the upload again in {}: {}",
                    spec.requestId(),
                    spec.bucket(),
                    spec.key(),
                    event.getWaitInterval(),
                    last.get().fold(stored -> "", UploadFailed::message)));
    try {
      return retry.executeCheckedSupplier(
          () -> {
            UploadOutcome outcome = uploader.upload(spec, opener);
            last.set(outcome);
            return outcome;
          });
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

  private static boolean isOutage(UploadOutcome outcome) {
    return outcome.fold(
        stored -> false, failed -> failed.code() == ErrorCode.STORAGE_ERROR && failed.retryable());
  }
}
