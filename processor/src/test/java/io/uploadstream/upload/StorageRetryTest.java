package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class StorageRetryTest {
  private static final RetrySettings FAST =
      new RetrySettings(3, Duration.ofMillis(1), 2.0, Duration.ofMillis(2), 0.5);

  @ParameterizedTest(name = "HTTP {0} {1} → retryable {2}")
  @CsvSource({
    "500, InternalError, true",
    "502, BadGateway, true",
    "503, ServiceUnavailable, true",
    "503, SlowDown, true",
    "429, TooManyRequests, true",
    "400, RequestTimeout, true",
    "400, BadDigest, false",
    "400, InvalidArgument, false",
    "400, InvalidDigest, false",
    "403, AccessDenied, false",
    "403, SignatureDoesNotMatch, false",
    "404, NoSuchUpload, false",
    "404, NoSuchBucket, false",
    "412, PreconditionFailed, false",
    "409, ConditionalRequestConflict, false",
    "501, NotImplemented, false",
  })
  void isRetryable_serviceResponses(int status, String errorCode, boolean retryable) {
    assertThat(StorageRetry.isRetryable(response(status, errorCode))).isEqualTo(retryable);
  }

  @Test
  void isRetryable_networkFailuresAndStalls_areRetried() {
    assertThat(StorageRetry.isRetryable(clientFailure(new IOException("Connection reset"))))
        .isTrue();
    assertThat(
            StorageRetry.isRetryable(clientFailure(new SocketTimeoutException("Read timed out"))))
        .isTrue();
    assertThat(StorageRetry.isRetryable(ApiCallAttemptTimeoutException.create(1000))).isTrue();
  }

  @Test
  void isRetryable_ourCancellationsAndInterrupts_areNotRetried() {
    assertThat(StorageRetry.isRetryable(clientFailure(new PartBody.CancelledException())))
        .isFalse();
    assertThat(StorageRetry.isRetryable(AbortedException.create("interrupted"))).isFalse();
  }

  @Test
  void isRetryable_clientBugsAndMisconfiguration_areNotRetried() {
    assertThat(StorageRetry.isRetryable(SdkClientException.create("Unable to load credentials")))
        .isFalse();
    assertThat(StorageRetry.isRetryable(new IllegalStateException("bug"))).isFalse();
  }

  @Test
  void call_failingTwiceWith503_succeedsOnThirdAttemptAndReportsBothRetries() {
    List<Integer> retried = new CopyOnWriteArrayList<>();
    AtomicInteger attempts = new AtomicInteger();

    String result =
        new StorageRetry(FAST)
            .call(
                () -> {
                  if (attempts.incrementAndGet() < 3) {
                    throw response(503, "SlowDown");
                  }
                  return "stored";
                },
                (attempt, cause) -> retried.add(attempt));

    assertThat(result).isEqualTo("stored");
    assertThat(retried).containsExactly(1, 2);
  }

  @Test
  void call_nonRetryableFailure_isThrownAfterOneAttempt() {
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(
            () ->
                new StorageRetry(FAST)
                    .call(
                        () -> {
                          attempts.incrementAndGet();
                          throw response(403, "AccessDenied");
                        },
                        StorageRetry.RetryObserver.NONE))
        .isInstanceOf(S3Exception.class);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void call_retryableFailureEveryTime_givesUpAfterMaxAttempts() {
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(
            () ->
                new StorageRetry(FAST)
                    .call(
                        () -> {
                          attempts.incrementAndGet();
                          throw response(500, "InternalError");
                        },
                        StorageRetry.RetryObserver.NONE))
        .isInstanceOf(S3Exception.class);
    assertThat(attempts).hasValue(FAST.maxAttempts());
  }

  private static S3Exception response(int status, String errorCode) {
    return (S3Exception)
        S3Exception.builder()
            .statusCode(status)
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(errorCode).errorMessage(errorCode).build())
            .build();
  }

  private static SdkClientException clientFailure(Throwable cause) {
    return SdkClientException.create(
        "Unable to execute HTTP request: " + cause.getMessage(), cause);
  }
}
