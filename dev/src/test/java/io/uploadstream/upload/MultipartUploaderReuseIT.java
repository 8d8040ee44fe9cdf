package io.uploadstream.upload;

import static io.uploadstream.upload.TestFiles.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.dev.FaultInjectingProxy.Action;
import io.uploadstream.dev.FaultInjectingProxy.Request;
import io.uploadstream.s3.S3Clients;
import io.uploadstream.upload.UploadOutcome.UploadFailed;
import io.uploadstream.upload.UploadOutcome.UploadSucceeded;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A redelivered request whose first delivery completed finds its object stored and is answered
 * without sending the body, when the object is exactly the file; anything else is uploaded again.
 */
class MultipartUploaderReuseIT extends ProxiedStoreFixture {
  private static final long FILE_SIZE = 20 * MIB; // 3 parts of 8 MiB

  @ParameterizedTest
  @EnumSource(ChecksumAlgorithm.class)
  void upload_objectAlreadyStoredWithSameContent_isReusedWithoutUploading(
      ChecksumAlgorithm algorithm) throws Exception {
    Path file = TestFiles.random(dir, "done.bin", FILE_SIZE, 40);
    UploadSucceeded first = succeeded(directUploader(algorithm).upload(spec(file, "u/done.bin")));

    UploadSucceeded again = succeeded(proxiedUploader(algorithm).upload(spec(file, "u/done.bin")));

    assertThat(again.reused()).isTrue();
    assertThat(requests(Request::isUploadPart)).isEmpty();
    assertThat(requests(StoreRequests::isPutObject)).isEmpty();
    assertThat(requests(StoreRequests::isCreateMultipartUpload)).isEmpty();
    assertThat(requests(StoreRequests::isHeadObject)).hasSize(1);
    assertThat(again.etag()).isEqualTo(first.etag());
    assertThat(again.checksum()).isEqualTo(first.checksum());
    assertThat(again.partCount()).isEqualTo(3);
    assertThat(again.sizeBytes()).isEqualTo(FILE_SIZE);
  }

  @Test
  void upload_objectStoredWithSameSizeButOtherContent_isUploadedAgain() throws Exception {
    Path stored = TestFiles.random(dir, "stored.bin", FILE_SIZE, 41);
    Path file = TestFiles.random(dir, "newer.bin", FILE_SIZE, 42);
    succeeded(directUploader(ChecksumAlgorithm.CRC32C).upload(spec(stored, "u/same-size.bin")));

    UploadSucceeded result = succeeded(uploader(SETTINGS).upload(spec(file, "u/same-size.bin")));

    assertThat(result.reused()).isFalse();
    assertThat(StoreRequests.uploadedPartNumbers(proxy.requests()))
        .containsExactlyInAnyOrder(1, 2, 3);
    assertStoredBytes("u/same-size.bin", file);
  }

  @Test
  void upload_objectStoredWithOtherPartSize_isUploadedAgain() throws Exception {
    Path file = TestFiles.random(dir, "parts.bin", FILE_SIZE, 43);
    UploaderSettings fiveMiB =
        new UploaderSettings(5 * MIB, 4, ChecksumAlgorithm.CRC32C, FAST_RETRY);
    succeeded(uploader(client(S3Clients.builder(direct())), fiveMiB).upload(spec(file, "u/p.bin")));

    UploadSucceeded result = succeeded(uploader(SETTINGS).upload(spec(file, "u/p.bin")));

    assertThat(result.reused()).isFalse();
    assertThat(result.partCount()).isEqualTo(3);
    assertThat(requests(Request::isUploadPart)).hasSize(3);
  }

  /**
   * An object the same request put whole (with a larger part size, say) reports a full-object
   * CRC32C or a plain MD5.
   */
  @ParameterizedTest(name = "with CRC32C header: {0}")
  @ValueSource(booleans = {true, false})
  void upload_objectStoredByOnePutWithSameContent_isReused(boolean crc32cHeader) throws Exception {
    Path file = TestFiles.random(dir, "whole.bin", FILE_SIZE, 44);
    byte[] content = Files.readAllBytes(file);
    S3Client plain = client(S3Clients.builder(direct().withFlexibleChecksums(false)));
    plain.putObject(
        b -> {
          b.bucket(bucket)
              .key("u/whole.bin")
              .contentType(MultipartUploader.DEFAULT_CONTENT_TYPE)
              .metadata(spec(file, "u/whole.bin").storedMetadata());
          if (crc32cHeader) {
            b.checksumCRC32C(PartChecksum.crc32c(content, content.length));
          }
        },
        RequestBody.fromBytes(content));

    UploadSucceeded result = succeeded(uploader(SETTINGS).upload(spec(file, "u/whole.bin")));

    assertThat(result.reused()).isTrue();
    assertThat(requests(r -> r.method().equals("PUT"))).isEmpty();
  }

  @Test
  void upload_objectWithOtherMetadata_isUploadedAgain() throws Exception {
    Path file = TestFiles.random(dir, "meta.bin", FILE_SIZE, 45);
    succeeded(directUploader(ChecksumAlgorithm.CRC32C).upload(spec(file, "u/meta.bin")));
    UploadSpec withMetadata =
        new UploadSpec(
            "req-u/meta.bin", file, bucket, "u/meta.bin", null, Map.of("origin", "retry"));

    UploadSucceeded result = succeeded(uploader(SETTINGS).upload(withMetadata));

    assertThat(result.reused()).isFalse();
    assertThat(requests(Request::isUploadPart)).hasSize(3);
    assertThat(store.headObject(b -> b.bucket(bucket).key("u/meta.bin")).metadata())
        .containsEntry("origin", "retry");
  }

  /**
   * A small file is put at once with If-None-Match: * (checking first would cost a request too);
   * only when the store refuses that is the key looked at, and the same request's object reused.
   * Its tags are compared too: none are wanted, so a GET of its first byte says it has none (a HEAD
   * does not report tags).
   */
  @Test
  void upload_smallFileStoredAlready_isPutIfAbsent_thenFoundIdentical() throws Exception {
    Path file = TestFiles.random(dir, "small.txt", 1000, 46);
    MultipartUploader uploader = uploader(SETTINGS);

    UploadSucceeded first = succeeded(uploader.upload(spec(file, "u/small.txt")));
    UploadSucceeded again = succeeded(uploader.upload(spec(file, "u/small.txt")));

    assertThat(first.reused()).isFalse();
    assertThat(again.reused()).isTrue();
    assertThat(again.etag()).isEqualTo(first.etag());
    assertThat(requests(StoreRequests::isPutObject)).hasSize(2);
    assertThat(requests(StoreRequests::isHeadObject)).hasSize(1);
    assertThat(requests(r -> !StoreRequests.isPutObject(r) && !StoreRequests.isHeadObject(r)))
        .singleElement()
        .satisfies(
            get -> {
              assertThat(get.method()).isEqualTo("GET");
              assertThat(get.headers()).containsEntry("range", "bytes=0-0");
            });
  }

  /** Where the key is new, Complete with If-None-Match: * is safe without a look. */
  @Test
  void upload_storeCannotAnswerTheHead_newKey_uploadsNormally() throws Exception {
    Path file = TestFiles.random(dir, "headless.bin", FILE_SIZE, 47);
    proxy.rule(r -> StoreRequests.isHeadObject(r) ? Action.internalError() : Action.forward());

    UploadSucceeded result = succeeded(uploader(SETTINGS).upload(spec(file, "u/headless.bin")));

    assertThat(result.reused()).isFalse();
    assertThat(requests(StoreRequests::isHeadObject)).hasSize(FAST_RETRY.maxAttempts());
    assertThat(requests(Request::isUploadPart)).hasSize(3);
    assertStoredBytes("u/headless.bin", file);
  }

  /**
   * Where the key holds an object the uploader cannot look at, it cannot tell whose the object is:
   * it fails (retryable) rather than overwrite it, and leaves no upload behind.
   */
  @Test
  void upload_storeCannotAnswerTheHead_keyTaken_failsRetryableAndOverwritesNothing()
      throws Exception {
    Path stored = TestFiles.random(dir, "stored.bin", FILE_SIZE, 49);
    Path file = TestFiles.random(dir, "headless.bin", FILE_SIZE, 47);
    succeeded(directUploader(ChecksumAlgorithm.CRC32C).upload(spec(stored, "u/headless.bin")));
    proxy.rule(r -> StoreRequests.isHeadObject(r) ? Action.internalError() : Action.forward());

    UploadFailed failed = failed(uploader(SETTINGS).upload(spec(file, "u/headless.bin")));

    assertThat(failed.code()).isEqualTo(ErrorCode.STORAGE_ERROR);
    assertThat(failed.retryable()).isTrue();
    assertThat(failed.message()).contains("HeadObject");
    assertStoredBytes("u/headless.bin", stored);
    await().atMost(Duration.ofSeconds(10)).until(() -> allRequests.inFlight() == 0);
    assertThat(Stores.incompleteUploads(store, bucket)).isEmpty();
  }

  @Test
  void upload_newKey_costsOneHeadAndOneListingBeforeTheUpload() throws Exception {
    Path file = TestFiles.random(dir, "first.bin", FILE_SIZE, 48);

    succeeded(uploader(SETTINGS).upload(spec(file, "u/first.bin")));

    assertThat(requests(StoreRequests::isHeadObject)).hasSize(1);
    assertThat(requests(StoreRequests::isListMultipartUploads)).hasSize(1);
    assertThat(requests(r -> r.method().equals("GET"))).hasSize(1); // no ListParts
    assertThat(requests(Request::isUploadPart)).hasSize(3);
  }

  private MultipartUploader directUploader(ChecksumAlgorithm algorithm) {
    return uploader(
        client(
            S3Clients.builder(
                direct().withFlexibleChecksums(algorithm == ChecksumAlgorithm.CRC32C))),
        settings(algorithm));
  }

  private MultipartUploader proxiedUploader(ChecksumAlgorithm algorithm) {
    return uploader(
        client(
            S3Clients.builder(
                throughProxy().withFlexibleChecksums(algorithm == ChecksumAlgorithm.CRC32C))),
        settings(algorithm));
  }

  private static UploaderSettings settings(ChecksumAlgorithm algorithm) {
    return new UploaderSettings(8 * MIB, 4, algorithm, FAST_RETRY);
  }

  private List<Request> requests(Predicate<Request> kind) {
    return proxy.requests().stream().filter(kind).toList();
  }
}
