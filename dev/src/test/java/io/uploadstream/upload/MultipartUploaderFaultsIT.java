package io.uploadstream.upload;

import static io.uploadstream.upload.TestFiles.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.dev.FaultInjectingProxy;
import io.uploadstream.dev.FaultInjectingProxy.Action;
import io.uploadstream.dev.FaultInjectingProxy.Gauge;
import io.uploadstream.s3.S3Clients;
import io.uploadstream.s3.S3ConnectionSettings;
import io.uploadstream.upload.UploadOutcome.UploadFailed;
import io.uploadstream.upload.UploadOutcome.UploadSucceeded;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

  /**
   * The store goes down after two parts: the upload fails retryable but is kept, so the next
   * attempt (the processor's outage wait, a redelivery) resumes it and sends only what is missing
   * instead of the whole file again.
   */
  @Test
  void upload_storeDownUntilRetriesRunOut_failsRetryableKeepsTheUpload_andTheNextAttemptResumes()
      throws Exception {
    Path file = TestFiles.random(dir, "outage.bin", 50 * MIB, 12); // 7 parts
    AtomicBoolean down = new AtomicBoolean();
    proxy.rule(
        r -> {
          if (r.isUploadPart() && r.partNumber() == 3) {
            down.set(true);
          }
          return down.get() ? Action.serviceUnavailable() : Action.forward();
        });
    UploaderSettings oneAtATime =
        new UploaderSettings(8 * MIB, 1, ChecksumAlgorithm.CRC32C, FAST_RETRY);
    MultipartUploader uploader = uploader(oneAtATime);

    UploadFailed failed = failed(uploader.upload(spec(file, "c/outage.bin")));

    assertThat(failed.code()).isEqualTo(ErrorCode.STORAGE_ERROR);
    assertThat(failed.retryable()).isTrue();
    assertThat(failed.leftForResume()).isTrue();
    assertThat(failed.message()).contains("UploadPart", "part 3", "ServiceUnavailable");
    assertThat(partAttempts(3)).isEqualTo(FAST_RETRY.maxAttempts());
    assertThat(proxy.requests().stream().filter(StoreRequests::isAbortMultipartUpload)).isEmpty();
    List<MultipartUpload> kept = Stores.incompleteUploads(store, bucket);
    assertThat(kept).extracting(MultipartUpload::key).containsExactly("c/outage.bin");

    down.set(false);
    proxy.rule(FaultInjectingProxy.Rule.FORWARD_ALL);
    int before = proxy.requests().size();
    succeeded(uploader.upload(spec(file, "c/outage.bin")));

    List<FaultInjectingProxy.Request> again =
        proxy.requests().subList(before, proxy.requests().size());
    assertThat(StoreRequests.uploadedPartNumbers(again)).containsExactly(3, 4, 5, 6, 7);
    assertThat(again.stream().filter(StoreRequests::isCreateMultipartUpload)).isEmpty();
    assertThat(again.stream().filter(StoreRequests::isCompleteMultipartUpload))
        .extracting(StoreRequests::uploadId)
        .containsExactly(kept.get(0).uploadId());
    assertThat(listener.resumed).containsExactlyInAnyOrder(1, 2);
    assertStoredBytes("c/outage.bin", file);
    assertThat(Stores.incompleteUploads(store, bucket)).isEmpty();
  }

  @Test
  void upload_storeDownAtCreate_failsRetryableWithNothingToResume() throws Exception {
    Path file = TestFiles.random(dir, "down.bin", 20 * MIB, 16);
    proxy.rule(
        r ->
            StoreRequests.isCreateMultipartUpload(r)
                ? Action.serviceUnavailable()
                : Action.forward());

    UploadFailed failed = failed(uploader(SETTINGS).upload(spec(file, "c/down.bin")));

    assertThat(failed.retryable()).isTrue();
    assertThat(failed.leftForResume()).isFalse();
    assertNothingLeft("c/down.bin");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"403, AccessDenied", "400, InvalidArgument"})
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
    assertThat(failed.leftForResume()).isFalse();
    assertThat(failed.message()).contains(errorCode);
    assertThat(partAttempts(2)).isEqualTo(1);
    assertThat(listener.retries).isEmpty();
    assertNothingLeft("c/rejected.bin");
  }

  /**
   * NoSuchUpload means the upload was completed or aborted by someone else; with the key still
   * free, a fresh upload is tried once, then the failure stands.
   */
  @Test
  void upload_everyUploadGoneAtItsSecondPart_startsAFreshOneOnceThenFails() throws Exception {
    Path file = TestFiles.random(dir, "gone.bin", 20 * MIB, 17);
    proxy.rule(
        r ->
            r.isUploadPart() && r.partNumber() == 2
                ? Action.error(404, "NoSuchUpload")
                : Action.forward());

    UploadFailed failed = failed(uploader(SETTINGS).upload(spec(file, "c/gone.bin")));

    assertThat(failed.code()).isEqualTo(ErrorCode.STORAGE_ERROR);
    assertThat(failed.retryable()).isFalse();
    assertThat(failed.message()).contains("NoSuchUpload");
    assertThat(partAttempts(2)).as("no retry, one fresh upload").isEqualTo(2);
    assertThat(proxy.requests().stream().filter(StoreRequests::isCreateMultipartUpload)).hasSize(2);
    assertNothingLeft("c/gone.bin");
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
  void upload_interruptedMidUpload_keepsTheUpload_andTheNextAttemptSendsOnlyTheMissingParts()
      throws Exception {
    Path file = TestFiles.random(dir, "interrupted.bin", 50 * MIB, 19); // 7 parts
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
    // Every part that started had finished (stopped) before the upload threw.
    assertThat(listener.finished).containsExactlyInAnyOrderElementsOf(listener.started);
    assertThat(parts.count()).isLessThan(7);
    await().atMost(Duration.ofSeconds(10)).until(() -> allRequests.inFlight() == 0);
    List<MultipartUpload> kept = Stores.incompleteUploads(store, bucket);
    assertThat(kept).as("kept for the request's next owner").hasSize(1);
    int stored =
        store
            .listParts(
                b -> b.bucket(bucket).key("c/interrupted.bin").uploadId(kept.get(0).uploadId()))
            .parts()
            .size();
    assertThat(stored).isPositive();

    proxy.latency(Duration.ZERO);
    int before = parts.count();
    succeeded(uploader(SETTINGS).upload(spec(file, "c/interrupted.bin")));

    assertThat(parts.count() - before).as("only the missing parts").isEqualTo(7 - stored);
    assertStoredBytes("c/interrupted.bin", file);
    assertThat(Stores.incompleteUploads(store, bucket)).isEmpty();
  }
}
