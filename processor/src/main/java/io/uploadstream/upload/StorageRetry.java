package io.uploadstream.upload;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;

/**
 * The retry policy for calls to the store: resilience4j {@code Retry} with exponential backoff and
 * jitter that retries only failures a second attempt can fix. {@code s3-upload} covers parts,
 * single puts, create and complete; {@code s3-abort} covers the abort on failure paths, with at
 * most {@value #MAX_ABORT_ATTEMPTS} attempts so a failing upload ends promptly. The SDK's own
 * retries are off (see {@link S3Clients}): this is the one layer that retries.
 */
final class StorageRetry {
  static final String NAME = "s3-upload";
  static final String ABORT_NAME = "s3-abort";
  static final int MAX_ABORT_ATTEMPTS = 3;

  /** Told about each failed attempt that will be tried again (1 = the first attempt failed). */
  @FunctionalInterface
  interface RetryObserver {
    RetryObserver NONE = (attempt, cause) -> {};

    void retrying(int failedAttempt, Throwable cause);
  }

  private final RetryConfig config;
  private final RetryConfig abortConfig;

  StorageRetry(RetrySettings settings) {
    this.config = config(settings, settings.maxAttempts());
    this.abortConfig = config(settings, Math.min(MAX_ABORT_ATTEMPTS, settings.maxAttempts()));
  }

  private static RetryConfig config(RetrySettings settings, int maxAttempts) {
    return RetryConfig.custom()
        .maxAttempts(maxAttempts)
        .intervalFunction(
            IntervalFunction.ofExponentialRandomBackoff(
                settings.initialBackoff(),
                settings.multiplier(),
                settings.jitterFactor(),
                settings.maxBackoff()))
        .retryOnException(StorageRetry::isRetryable)
        .build();
  }

  /** Runs an abort under the shorter {@code s3-abort} policy. */
  void callAbort(Runnable abort) {
    Retry.of(ABORT_NAME, abortConfig).executeRunnable(abort);
  }

  /**
   * Runs {@code call} under the policy. Each call gets its own {@code Retry} (same name, same
   * config) so its retry events carry this call's context to {@code observer}; a shared instance's
   * events could not tell which part of which upload they belong to.
   */
  <T> T call(Supplier<T> call, RetryObserver observer) {
    Retry retry = Retry.of(NAME, config);
    retry
        .getEventPublisher()
        .onRetry(e -> observer.retrying(e.getNumberOfRetryAttempts(), e.getLastThrowable()));
    return retry.executeSupplier(call);
  }

  /** Whether another attempt may succeed where this one failed. */
  static boolean isRetryable(Throwable failure) {
    if (causedBy(failure, PartBody.CancelledException.class)) {
      return false; // we stopped this part ourselves: another part failed or we are shutting down
    }
    if (causedBy(failure, FileRangeBody.ReadFailedException.class)) {
      return false; // reading the file failed, not the store: another attempt reads it the same
    }
    if (failure instanceof AbortedException) {
      return false; // the thread was interrupted: shutting down
    }
    if (failure instanceof AwsServiceException response) {
      return isRetryableResponse(response);
    }
    if (failure instanceof ApiCallAttemptTimeoutException) {
      return true; // the attempt stalled (e.g. a socket write blocked); a fresh connection may not
    }
    if (causedBy(failure, IOException.class)) {
      return true; // connection refused, reset or timed out: the network, not the request
    }
    return false; // a bug or a misconfiguration: the same call would fail the same way
  }

  private static boolean isRetryableResponse(AwsServiceException response) {
    String errorCode =
        response.awsErrorDetails() == null ? null : response.awsErrorDetails().errorCode();
    int status = response.statusCode();
    if ("SlowDown".equals(errorCode)) {
      return true; // throttled; S3 sends it with 503
    }
    if ("RequestTimeout".equals(errorCode)) {
      return true; // S3's 400 for a connection that went idle mid-body: a network fault
    }
    if (status == 429) {
      return true; // throttled
    }
    if (status == 501) {
      return false; // the store does not implement this request; it never will
    }
    if (status >= 500) {
      return true; // the store failed, not the request
    }
    // Other 4xx (403, BadDigest, NoSuchUpload...): the request is wrong as sent. 412 and 409
    // ConditionalRequestConflict answer a conditional write: the key is decided again instead.
    return false;
  }

  private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
      if (t.getCause() == t) {
        return false;
      }
    }
    return false;
  }
}
