package io.uploadstream.upload;

import static io.uploadstream.upload.TestFiles.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.dev.FaultInjectingProxy;
import io.uploadstream.dev.FaultInjectingProxy.Action;
import io.uploadstream.dev.FaultInjectingProxy.Gauge;
import io.uploadstream.upload.UploadOutcome.UploadFailed;
import io.uploadstream.upload.UploadOutcome.UploadSucceeded;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The store failing, stalling, throttling, resetting; and the caller interrupting. */
class MultipartUploaderFaultsIT extends ProxiedStoreFixture {

  @Test
  void store_listsIncompleteUploads_soLeftoverChecksMeanSomething() {
    String uploadId =
        store.createMultipartUpload(b -> b.bucket(bucket).key("c/open.bin")).uploadId();

    assertThat(Stores.incompleteUploads(store, bucket))
        .extracting(MultipartUpload::uploadId)
        .containsExactly(uploadId);
    store.abortMultipartUpload(b -> b.bucket(bucket).key("c/open.bin").uploadId(uploadId));
    assertThat(Stores.incompleteUploads(store, bucket)).isEmpty();
  }

  @ParameterizedTest(name = "partsInFlight={0}")
  @ValueSource(ints = {1, 2, 4})
  void upload_manyParts_serverSeesExactlyPartsInFlightAtOnce(int partsInFlight) throws Exception {
    Path file = TestFiles.random(dir, "many.bin", 30 * MIB, 10);
    Gauge parts = proxy.track(r -> r.isUploadPart() && r.path().endsWith("/c/many.bin"));
    proxy.latency(Duration.ofMillis(150)); // keeps parts overlapping so the bound is reached
    UploaderSettings settings =
        new UploaderSettings(5 * MIB, partsInFlight, ChecksumAlgorithm.CRC32C, FAST_RETRY);

    UploadSucceeded result = succeeded(uploader(settings).upload(spec(file, "c/many.bin")));

    assertThat(result.partCount()).isEqualTo(6);
    assertThat(parts.count()).isEqualTo(6);
    assertThat(parts.maxInFlight()).isEqualTo(partsInFlight);
    assertStoredBytes("c/many.bin", file);
  }

  @Test
  void upload_partFailsTwice_completesWithRetries() throws Exception {
    Path file = TestFiles.random(dir, "retry.bin", 20 * MIB, 11);
    proxy.rule(failAttempts(3, Action.serviceUnavailable(), Action.slowDown()));

    succeeded(uploader(SETTINGS).upload(spec(file, "c/retry.bin")));

    assertThat(listener.retries)
        .extracting(RecordingListener.Retry::partNumber, RecordingListener.Retry::attempt)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(3, 1), org.assertj.core.groups.Tuple.tuple(3, 2));
    assertThat(listener.retries)
        .allSatisfy(
            r ->
                assertThat(r.cause())
                    .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(503)));
    assertThat(partAttempts(3)).isEqualTo(3);
    assertStoredBytes("c/retry.bin", file);
  }

  @Test
  void upload_partFailsEveryTime_failsRetryableAndLeavesNoUpload() throws Exception {
    Path file = TestFiles.random(dir, "outage.bin", 20 * MIB, 12);
    proxy.rule(
        r -> r.isUploadPart() && r.partNumber() == 2 ? Action.internalError() : Action.forward());

    UploadFailed failed = failed(uploader(SETTINGS).upload(spec(file, "c/outage.bin")));

    assertThat(failed.code()).isEqualTo(ErrorCode.STORAGE_ERROR);
    assertThat(failed.retryable()).isTrue();
    assertThat(failed.message()).contains("UploadPart", "part 2", "InternalError");
    assertThat(partAttempts(2)).isEqualTo(FAST_RETRY.maxAttempts());
    assertNothingLeft("c/outage.bin");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"403, AccessDenied", "400, InvalidArgument", "404, NoSuchUpload"})
  void upload_partRejectedWith4xx_failsAtOnceWithoutRetry(int status, String errorCode)
      throws Exception {
    Path file = TestFiles.random(dir, "rejected.bin", 20 * MIB, 13);
    proxy.rule(
        r ->
            r.isUploadPart() && r.partNumber() == 2
                ? Action.error(status, errorCode)
                : Action.forward());

    UploadFailed failed = failed(uploader(SETTINGS).upload(spec(file, "c/rejected.bin")));

    assertThat(failed.code()).isEqualTo(ErrorCode.STORAGE_ERROR);
    assertThat(failed.retryable()).isFalse();
    assertThat(failed.message()).contains(errorCode);
    assertThat(partAttempts(2)).isEqualTo(1);
    assertThat(listener.retries).isEmpty();
    assertNothingLeft("c/rejected.bin");
  }

  @Test
  void upload_connectionResetMidPart_retriesAndCompletes() throws Exception {
    Path file = TestFiles.random(dir, "reset.bin", 20 * MIB, 14);
    proxy.rule(failAttempts(2, Action.resetAfter(MIB)));

    succeeded(uploader(SETTINGS).upload(spec(file, "c/reset.bin")));

    assertThat(listener.retries)
        .singleElement()
        .satisfies(
            r -> assertThat(r.cause()).hasRootCauseInstanceOf(java.net.SocketException.class));
    assertStoredBytes("c/reset.bin", file);
  }

  @Test
  void upload_partStallsPastAttemptTimeout_retriesAndCompletes() throws Exception {
    Path file = TestFiles.random(dir, "stall.bin", 20 * MIB, 15);
    proxy.rule(failAttempts(1, Action.stall(Duration.ofSeconds(3))));
    S3ConnectionSettings.Timeouts shortTimeouts =
        new S3ConnectionSettings.Timeouts(
            Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(1));
    S3Client client = client(S3Clients.builder(throughProxy().withTimeouts(shortTimeouts)));

    succeeded(uploader(client, SETTINGS).upload(spec(file, "c/stall.bin")));

    assertThat(listener.retries)
        .singleElement()
        .satisfies(r -> assertThat(r.cause()).isInstanceOf(ApiCallAttemptTimeoutException.class));
    assertStoredBytes("c/stall.bin", file);
  }

  @Test
  void upload_interruptedMidUpload_throwsInterruptedAndLeavesNoUpload() throws Exception {
    Path file = TestFiles.random(dir, "interrupted.bin", 50 * MIB, 19);
    Gauge parts = proxy.track(FaultInjectingProxy.Request::isUploadPart);
    proxy.latency(Duration.ofMillis(300));
    AtomicReference<Thread> uploading = new AtomicReference<>();
    listener =
        new RecordingListener() {
          @Override
          public void partUploaded(UploadSpec s, int part, long size, long done, long total) {
            uploading.get().interrupt();
          }
        };
    MultipartUploader uploader = uploader(SETTINGS);
    FutureTask<UploadOutcome> upload =
        new FutureTask<>(
            () -> {
              uploading.set(Thread.currentThread());
              return uploader.upload(spec(file, "c/interrupted.bin"));
            });
    new Thread(upload, "uploading").start();

    assertThatThrownBy(() -> upload.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    // Every part that started had finished (stopped) before the upload was aborted and threw.
    assertThat(listener.finished).containsExactlyInAnyOrderElementsOf(listener.started);
    assertThat(parts.count()).isLessThan(7);
    assertNothingLeft("c/interrupted.bin");
  }
}
