package io.uploadstream.upload;

import static io.uploadstream.upload.TestFiles.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.keys.RequestIdMetadata;
import io.uploadstream.s3.S3Clients;
import io.uploadstream.s3.S3ConnectionSettings;
import io.uploadstream.upload.UploadOutcome.UploadFailed;
import io.uploadstream.upload.UploadOutcome.UploadSucceeded;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Upload scenarios every S3-compatible store must pass, run against each store by a subclass
 * (S3Proxy in-process here; MinIO where Docker runs). Each test uses its own bucket.
 */
abstract class MultipartUploaderScenarios {
  static final UploaderSettings SETTINGS = UploaderSettings.DEFAULTS;

  @TempDir Path dir;

  /** The uploader's client: SDK retries off, as in production. */
  S3Client s3;

  /** Sets up buckets and reads back objects: SDK retries on, so checks are not flaky. */
  S3Client store;

  ExecutorService partThreads;
  RecordingListener listener;
  MultipartUploader uploader;
  String bucket;

  /** How to reach the store under test. */
  abstract S3ConnectionSettings connection();

  @BeforeEach
  void createBucketAndUploader() {
    s3 = S3Clients.create(connection());
    store = Stores.verifyingClient(connection());
    bucket = "scenario-" + UUID.randomUUID();
    store.createBucket(b -> b.bucket(bucket));
    partThreads = Executors.newFixedThreadPool(8);
    listener = new RecordingListener();
    uploader = new MultipartUploader(s3, SETTINGS, partThreads, listener, Clock.systemUTC());
  }

  @AfterEach
  void closeClient() {
    partThreads.shutdownNow();
    s3.close();
    store.close();
  }

  @Test
  void upload_emptyFile_storesEmptyObjectWithOnePut() throws Exception {
    Path file = TestFiles.random(dir, "empty.bin", 0, 1);

    UploadSucceeded result = succeeded(spec(file, "a/empty.bin"));

    assertThat(result.sizeBytes()).isZero();
    assertThat(result.partCount()).isZero();
    assertStoredBytes("a/empty.bin", file);
  }

  @Test
  void upload_oneByteFile_storesItWithOnePut() throws Exception {
    Path file = TestFiles.random(dir, "one.bin", 1, 2);

    UploadSucceeded result = succeeded(spec(file, "a/one.bin"));

    assertThat(result.sizeBytes()).isEqualTo(1);
    assertThat(result.partCount()).isZero();
    assertThat(result.checksum().algorithm()).isEqualTo("CRC32C");
    assertStoredBytes("a/one.bin", file);
  }

  @Test
  void upload_fileOfExactlyOnePartSize_storesOnePartUpload() throws Exception {
    Path file = TestFiles.random(dir, "eight.bin", 8 * MIB, 3);

    UploadSucceeded result = succeeded(spec(file, "a/eight.bin"));

    assertThat(result.partCount()).isEqualTo(1);
    assertStoredBytes("a/eight.bin", file);
  }

  @Test
  void upload_50MiBFile_storesSevenPartsByteForByte() throws Exception {
    Path file = TestFiles.random(dir, "fifty.bin", 50 * MIB, 4);

    UploadSucceeded result = succeeded(spec(file, "a/fifty.bin"));

    assertThat(result.partCount()).isEqualTo(7);
    assertThat(result.sizeBytes()).isEqualTo(50 * MIB);
    assertThat(result.checksum().algorithm()).isEqualTo("CRC32C");
    assertThat(result.checksum().value()).endsWith("-7");
    assertThat(listener.uploaded).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7);
    assertThat(listener.bytesDone).contains(50 * MIB);
    assertThat(listener.finished).hasSize(7);
    assertStoredBytes("a/fifty.bin", file);
  }

  @Test
  void upload_withMetadataAndContentType_storesBoth() throws Exception {
    Path small = TestFiles.random(dir, "small.json", 100, 5);
    Path large = TestFiles.random(dir, "large.bin", 9 * MIB, 6);
    Map<String, String> metadata = Map.of("origin", "scenario", "request-id", "r-1");

    succeeded(new UploadSpec("r-1", small, bucket, "m/small.json", "application/json", metadata));
    succeeded(new UploadSpec("r-2", large, bucket, "m/large.bin", null, metadata));

    HeadObjectResponse smallHead = store.headObject(b -> b.bucket(bucket).key("m/small.json"));
    assertThat(smallHead.contentType()).isEqualTo("application/json");
    assertThat(smallHead.metadata())
        .containsAllEntriesOf(metadata)
        .containsEntry(RequestIdMetadata.KEY, "r-1")
        .hasSize(metadata.size() + 1);
    HeadObjectResponse largeHead = store.headObject(b -> b.bucket(bucket).key("m/large.bin"));
    assertThat(largeHead.contentType()).isEqualTo("application/octet-stream");
    assertThat(largeHead.metadata())
        .containsAllEntriesOf(metadata)
        .containsEntry(RequestIdMetadata.KEY, "r-2")
        .hasSize(metadata.size() + 1);
    assertThat(largeHead.contentLength()).isEqualTo(9 * MIB);
  }

  @Test
  void upload_missingFile_failsWithFileNotFound() throws Exception {
    Path missing = dir.resolve("missing.bin");

    UploadOutcome outcome = uploader.upload(spec(missing, "a/missing.bin"));

    assertThat(outcome)
        .isInstanceOfSatisfying(
            UploadFailed.class,
            failed -> {
              assertThat(failed.code()).isEqualTo(ErrorCode.FILE_NOT_FOUND);
              assertThat(failed.retryable()).isFalse();
            });
    assertThat(Files.exists(missing)).isFalse();
  }

  UploadSpec spec(Path file, String key) {
    return new UploadSpec("req-" + key, file, bucket, key, null, Map.of());
  }

  UploadSucceeded succeeded(UploadSpec spec) throws InterruptedException {
    UploadOutcome outcome = uploader.upload(spec);
    assertThat(outcome).isInstanceOf(UploadSucceeded.class);
    assertThat(listener.retries).as("retries on a healthy store").isEmpty();
    return (UploadSucceeded) outcome;
  }

  void assertStoredBytes(String key, Path file) throws Exception {
    TestFiles.assertSameBytes(store.getObject(b -> b.bucket(bucket).key(key)), file);
  }
}
