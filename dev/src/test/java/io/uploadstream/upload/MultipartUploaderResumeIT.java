package io.uploadstream.upload;

import static io.uploadstream.upload.TestFiles.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.dev.FaultInjectingProxy.Action;
import io.uploadstream.dev.FaultInjectingProxy.Request;
import io.uploadstream.keys.RequestIdMetadata;
import io.uploadstream.s3.S3Clients;
import io.uploadstream.upload.UploadOutcome.UploadFailed;
import io.uploadstream.upload.UploadOutcome.UploadSucceeded;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * A redelivered request finds the multipart upload its crashed first delivery left for the same
 * key, and sends only what is missing. The crash is staged directly on the store (as the crashed
 * processor left it); the uploader under test goes through the proxy, which counts its requests.
 *
 * <p>An upload is adopted only when it stored a part and every stored part holds this file's bytes:
 * S3 cannot tell who created an upload, and any other upload of the key may be another request's,
 * running now. Those are neither resumed nor aborted.
 */
class MultipartUploaderResumeIT extends ProxiedStoreFixture {
  private static final long FILE_SIZE = 50 * MIB; // 7 parts of 8 MiB

  @ParameterizedTest
  @EnumSource(ChecksumAlgorithm.class)
  void upload_afterACrashWithSomePartsStored_uploadsOnlyTheMissingParts(ChecksumAlgorithm algorithm)
      throws Exception {
    Path file = TestFiles.random(dir, "crashed.bin", FILE_SIZE, 30);
    String uploadId = crashedUpload("r/crashed.bin", algorithm);
    storeParts("r/crashed.bin", uploadId, file, 8 * MIB, algorithm, 1, 2, 4);

    UploadSucceeded result = succeeded(uploader(algorithm).upload(spec(file, "r/crashed.bin")));

    assertThat(StoreRequests.uploadedPartNumbers(proxy.requests()))
        .containsExactlyInAnyOrder(3, 5, 6, 7);
    assertThat(listener.resumed).containsExactlyInAnyOrder(1, 2, 4);
    assertThat(requests(StoreRequests::isCreateMultipartUpload)).isEmpty();
    assertThat(requests(StoreRequests::isCompleteMultipartUpload))
        .extracting(StoreRequests::uploadId)
        .containsExactly(uploadId);
    assertThat(result.partCount()).isEqualTo(7);
    assertThat(result.reused()).isFalse();
    assertThat(listener.bytesDone).contains(FILE_SIZE);
    assertStoredBytes("r/crashed.bin", file);
    assertThat(Stores.incompleteUploads(store, bucket)).isEmpty();
  }

  /**
   * Uploads of the key that cannot be this request's may be another instance's, running now (two
   * requests for one key at once): they are left to it (and later to the janitor), never aborted.
   */
  @Test
  void upload_uploadsOfTheKeyThatCannotBeResumed_areLeftAlone() throws Exception {
    Path file = TestFiles.random(dir, "young.bin", FILE_SIZE, 43);
    String older = crashedUpload("r/young.bin", ChecksumAlgorithm.CRC32C);
    storeParts("r/young.bin", older, file, 5 * MIB, ChecksumAlgorithm.CRC32C, 1);
    String otherPartSize = crashedUpload("r/young.bin", ChecksumAlgorithm.CRC32C);
    storeParts("r/young.bin", otherPartSize, file, 5 * MIB, ChecksumAlgorithm.CRC32C, 1);

    succeeded(uploader(SETTINGS).upload(spec(file, "r/young.bin")));

    assertThat(requests(StoreRequests::isAbortMultipartUpload)).isEmpty();
    assertThat(requests(StoreRequests::isCreateMultipartUpload)).hasSize(1);
    assertStoredBytes("r/young.bin", file);
    assertThat(Stores.incompleteUploads(store, bucket))
        .extracting(MultipartUpload::uploadId)
        .containsExactlyInAnyOrder(older, otherPartSize);
  }

  /**
   * An upload without parts (a crash between CreateMultipartUpload and the first part, or another
   * request's upload that just started) shows nothing of whose it is: never adopted, never aborted.
   */
  @Test
  void upload_uploadWithNoPartStored_isNeitherResumedNorAborted() throws Exception {
    Path file = TestFiles.random(dir, "empty.bin", FILE_SIZE, 44);
    String uploadId = crashedUpload("r/empty.bin", ChecksumAlgorithm.CRC32C);

    succeeded(uploader(SETTINGS).upload(spec(file, "r/empty.bin")));

    assertThat(requests(StoreRequests::isCreateMultipartUpload)).hasSize(1);
    assertThat(requests(StoreRequests::isCompleteMultipartUpload))
        .extracting(StoreRequests::uploadId)
        .doesNotContain(uploadId);
    assertThat(requests(StoreRequests::isAbortMultipartUpload)).isEmpty();
    assertThat(StoreRequests.uploadedPartNumbers(proxy.requests())).hasSize(7);
    assertStoredBytes("r/empty.bin", file);
    assertThat(Stores.incompleteUploads(store, bucket))
        .extracting(MultipartUpload::uploadId)
        .containsExactly(uploadId);
  }

  /** Parts grown beyond the part size are streamed, so their stored copies are verified so too. */
  @Test
  void upload_resumingAnUploadOfGrownParts_verifiesThemWithoutBufferingThem() throws Exception {
    Path file = TestFiles.random(dir, "grown.bin", FILE_SIZE, 39);
    String uploadId = crashedUpload("r/grown.bin", ChecksumAlgorithm.CRC32C);
    storeParts("r/grown.bin", uploadId, file, 13 * MIB, ChecksumAlgorithm.CRC32C, 1, 3);
    MultipartUploader uploader = uploader(client(S3Clients.builder(throughProxy())), SETTINGS, 4);

    UploadSucceeded result = succeeded(uploader.upload(spec(file, "r/grown.bin")));

    assertThat(result.partCount()).as("4 parts of 13 MiB, the last 11").isEqualTo(4);
    assertThat(StoreRequests.uploadedPartNumbers(proxy.requests())).containsExactlyInAnyOrder(2, 4);
    assertThat(listener.resumed).containsExactlyInAnyOrder(1, 3);
    assertThat(uploader.partBuffers().largestAllocatedBytes())
        .isLessThanOrEqualTo((int) SETTINGS.partSizeBytes());
    assertStoredBytes("r/grown.bin", file);
    assertThat(Stores.incompleteUploads(store, bucket)).isEmpty();
  }

  /**
   * One stored part of other bytes makes the upload another request's (a different file of the same
   * size, name and second): sending this file's parts into it would corrupt that upload.
   */
  @Test
  void upload_uploadWithAPartOfOtherBytes_isNeitherResumedNorAborted() throws Exception {
    Path file = TestFiles.random(dir, "changed.bin", FILE_SIZE, 31);
    Path other = TestFiles.random(dir, "other.bin", FILE_SIZE, 32);
    String uploadId = crashedUpload("r/changed.bin", ChecksumAlgorithm.CRC32C);
    storeParts("r/changed.bin", uploadId, file, 8 * MIB, ChecksumAlgorithm.CRC32C, 1, 3);
    storeParts("r/changed.bin", uploadId, other, 8 * MIB, ChecksumAlgorithm.CRC32C, 2);

    succeeded(uploader(SETTINGS).upload(spec(file, "r/changed.bin")));

    assertThat(StoreRequests.uploadedPartNumbers(proxy.requests()))
        .containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7);
    assertThat(requests(r -> r.isUploadPart() && uploadId.equals(StoreRequests.uploadId(r))))
        .as("no part sent into the other upload")
        .isEmpty();
    assertThat(listener.resumed).isEmpty();
    assertThat(requests(StoreRequests::isAbortMultipartUpload)).isEmpty();
    assertStoredBytes("r/changed.bin", file);
    assertThat(Stores.incompleteUploads(store, bucket))
        .extracting(MultipartUpload::uploadId)
        .containsExactly(uploadId);
  }

  @Test
  void upload_uploadWithOtherPartSizes_isNeitherResumedNorAborted() throws Exception {
    Path file = TestFiles.random(dir, "resized.bin", FILE_SIZE, 33);
    String stale = crashedUpload("r/resized.bin", ChecksumAlgorithm.CRC32C);
    storeParts("r/resized.bin", stale, file, 5 * MIB, ChecksumAlgorithm.CRC32C, 1, 2);

    succeeded(uploader(SETTINGS).upload(spec(file, "r/resized.bin")));

    assertThat(requests(StoreRequests::isAbortMultipartUpload)).isEmpty();
    assertThat(requests(StoreRequests::isCreateMultipartUpload)).hasSize(1);
    assertThat(StoreRequests.uploadedPartNumbers(proxy.requests()))
        .containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7);
    assertThat(listener.resumed).isEmpty();
    assertStoredBytes("r/resized.bin", file);
    assertThat(Stores.incompleteUploads(store, bucket))
        .extracting(MultipartUpload::uploadId)
        .containsExactly(stale);
  }

  @Test
  void upload_severalUploadsOfTheKeyHoldThisFile_resumesTheNewest_leavesTheOthers()
      throws Exception {
    Path file = TestFiles.random(dir, "twice.bin", FILE_SIZE, 34);
    String older = crashedUpload("r/twice.bin", ChecksumAlgorithm.CRC32C);
    storeParts("r/twice.bin", older, file, 8 * MIB, ChecksumAlgorithm.CRC32C, 1, 2, 3);
    String newer = crashedUpload("r/twice.bin", ChecksumAlgorithm.CRC32C);
    storeParts("r/twice.bin", newer, file, 8 * MIB, ChecksumAlgorithm.CRC32C, 1, 2);
    String lookalike = crashedUpload("r/twice.bin.part", ChecksumAlgorithm.CRC32C);

    succeeded(uploader(SETTINGS).upload(spec(file, "r/twice.bin")));

    assertThat(requests(StoreRequests::isAbortMultipartUpload)).isEmpty();
    assertThat(requests(StoreRequests::isCompleteMultipartUpload))
        .extracting(StoreRequests::uploadId)
        .containsExactly(newer);
    assertThat(StoreRequests.uploadedPartNumbers(proxy.requests()))
        .containsExactlyInAnyOrder(3, 4, 5, 6, 7);
    assertStoredBytes("r/twice.bin", file);
    assertThat(Stores.incompleteUploads(store, bucket))
        .as("the older upload is the janitor's; one of another key is not touched")
        .extracting(MultipartUpload::uploadId)
        .containsExactlyInAnyOrder(older, lookalike);
  }

  /**
   * The resumed upload is aborted (by the janitor of another instance, say) while its parts are
   * sent. S3 then refuses the parts; S3Proxy accepts them and refuses Complete. Either way the
   * store answers NoSuchUpload, and the uploader starts over once with a fresh upload.
   */
  @Test
  void upload_resumedUploadAbortedMeanwhile_startsAFreshUploadOnce() throws Exception {
    Path file = TestFiles.random(dir, "vanished.bin", FILE_SIZE, 35);
    String uploadId = crashedUpload("r/vanished.bin", ChecksumAlgorithm.CRC32C);
    storeParts("r/vanished.bin", uploadId, file, 8 * MIB, ChecksumAlgorithm.CRC32C, 1, 2);
    AtomicBoolean aborted = new AtomicBoolean();
    listener =
        new RecordingListener() {
          @Override
          public void partStarted(UploadSpec spec, int partNumber, long sizeBytes) {
            if (aborted.compareAndSet(false, true)) {
              store.abortMultipartUpload(
                  b -> b.bucket(bucket).key("r/vanished.bin").uploadId(uploadId));
            }
            super.partStarted(spec, partNumber, sizeBytes);
          }
        };

    UploadSucceeded result = succeeded(uploader(SETTINGS).upload(spec(file, "r/vanished.bin")));

    assertThat(requests(StoreRequests::isCreateMultipartUpload)).hasSize(1);
    assertThat(result.partCount()).isEqualTo(7);
    assertStoredBytes("r/vanished.bin", file);
    assertNoUploadsLeft();
  }

  @Test
  void upload_resumedUploadRefusesAPartWithNoSuchUpload_startsAFreshUploadOnce() throws Exception {
    Path file = TestFiles.random(dir, "refused.bin", FILE_SIZE, 36);
    String uploadId = crashedUpload("r/refused.bin", ChecksumAlgorithm.CRC32C);
    storeParts("r/refused.bin", uploadId, file, 8 * MIB, ChecksumAlgorithm.CRC32C, 1, 2);
    proxy.rule(
        r ->
            r.isUploadPart() && uploadId.equals(StoreRequests.uploadId(r))
                ? Action.error(404, "NoSuchUpload")
                : Action.forward());

    succeeded(uploader(SETTINGS).upload(spec(file, "r/refused.bin")));

    assertThat(requests(StoreRequests::isCreateMultipartUpload)).hasSize(1);
    assertThat(requests(StoreRequests::isCompleteMultipartUpload))
        .extracting(StoreRequests::uploadId)
        .doesNotContain(uploadId)
        .hasSize(1);
    assertStoredBytes("r/refused.bin", file);
    assertNoUploadsLeft();
  }

  /** The file is opened again for the fresh upload, and that open is checked again too. */
  @Test
  void upload_resumedUploadGoneAndTheReopenRefused_failsPathNotAllowedAndLeavesNoUpload()
      throws Exception {
    Path file = TestFiles.random(dir, "moved.bin", FILE_SIZE, 38);
    String uploadId = crashedUpload("r/moved.bin", ChecksumAlgorithm.CRC32C);
    storeParts("r/moved.bin", uploadId, file, 8 * MIB, ChecksumAlgorithm.CRC32C, 1, 2);
    proxy.rule(
        r ->
            r.isUploadPart() && uploadId.equals(StoreRequests.uploadId(r))
                ? Action.error(404, "NoSuchUpload")
                : Action.forward());
    AtomicInteger opens = new AtomicInteger();
    FileOpener firstOpenOnly =
        path -> {
          if (opens.incrementAndGet() > 1) {
            throw new PathNotAllowedException(path.toString(), "outside the allowed roots");
          }
          return FileOpener.PLAIN.open(path);
        };

    UploadFailed failed =
        failed(uploader(SETTINGS, firstOpenOnly).upload(spec(file, "r/moved.bin")));

    assertThat(failed.code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    assertThat(failed.retryable()).isFalse();
    assertThat(opens).hasValue(2);
    assertThat(requests(StoreRequests::isCreateMultipartUpload)).isEmpty();
    assertNoUploadsLeft();
  }

  @Test
  void upload_storeCannotListUploads_uploadsFresh() throws Exception {
    Path file = TestFiles.random(dir, "unlisted.bin", FILE_SIZE, 37);
    proxy.rule(
        r ->
            StoreRequests.isListMultipartUploads(r)
                ? Action.error(403, "AccessDenied")
                : Action.forward());

    succeeded(uploader(SETTINGS).upload(spec(file, "r/unlisted.bin")));

    assertThat(requests(StoreRequests::isListMultipartUploads)).hasSize(1);
    assertThat(StoreRequests.uploadedPartNumbers(proxy.requests())).hasSize(7);
    assertStoredBytes("r/unlisted.bin", file);
  }

  private MultipartUploader uploader(ChecksumAlgorithm algorithm) {
    UploaderSettings settings = new UploaderSettings(8 * MIB, 4, algorithm, FAST_RETRY);
    return uploader(
        client(
            S3Clients.builder(
                throughProxy().withFlexibleChecksums(algorithm == ChecksumAlgorithm.CRC32C))),
        settings);
  }

  /**
   * Creates a multipart upload as the uploader would have for {@link #spec}, and returns its id.
   */
  private String crashedUpload(String key, ChecksumAlgorithm algorithm) {
    return store
        .createMultipartUpload(
            b -> {
              b.bucket(bucket)
                  .key(key)
                  .contentType(MultipartUploader.DEFAULT_CONTENT_TYPE)
                  .metadata(Map.of(RequestIdMetadata.KEY, RequestIdMetadata.value("req-" + key)));
              if (algorithm == ChecksumAlgorithm.CRC32C) {
                b.checksumAlgorithm(
                    software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32_C);
              }
            })
        .uploadId();
  }

  /** Stores parts of {@code source}, cut by {@code partSizeBytes}, in the upload. */
  private void storeParts(
      String key,
      String uploadId,
      Path source,
      long partSizeBytes,
      ChecksumAlgorithm algorithm,
      int... partNumbers)
      throws IOException {
    PartPlan plan = PartPlan.of(FILE_SIZE, partSizeBytes);
    try (SourceFile file = SourceFile.open(source, FileOpener.PLAIN)) {
      for (int partNumber : partNumbers) {
        byte[] bytes = new byte[(int) plan.length(partNumber)];
        file.read(bytes, plan.offset(partNumber), bytes.length);
        PartChecksum checksum = PartChecksum.of(algorithm, bytes, bytes.length);
        store.uploadPart(
            checksum
                .applyTo(
                    software.amazon.awssdk.services.s3.model.UploadPartRequest.builder()
                        .bucket(bucket)
                        .key(key)
                        .uploadId(uploadId)
                        .partNumber(partNumber))
                .build(),
            RequestBody.fromBytes(bytes));
      }
    }
  }

  private List<Request> requests(java.util.function.Predicate<Request> kind) {
    return proxy.requests().stream().filter(kind).toList();
  }

  private void assertNoUploadsLeft() {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> allRequests.inFlight() == 0);
    assertThat(Stores.incompleteUploads(store, bucket)).isEmpty();
  }
}
