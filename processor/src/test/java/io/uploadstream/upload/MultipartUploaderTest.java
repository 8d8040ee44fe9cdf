package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.s3.S3Clients;
import io.uploadstream.s3.S3ConnectionSettings;
import io.uploadstream.upload.UploadOutcome.UploadFailed;
import java.io.IOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.s3.S3Client;

class MultipartUploaderTest {
  @TempDir Path dir;
  private final ExecutorService threads = Executors.newSingleThreadExecutor();
  private final S3ConnectionSettings local =
      S3ConnectionSettings.endpoint(URI.create("http://127.0.0.1:1"), "us-east-1", "k", "s");

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  @Test
  void constructor_md5WithClientAddingSdkChecksums_isRejected() {
    UploaderSettings md5 =
        new UploaderSettings(
            8 * UploaderSettings.MIB, 4, ChecksumAlgorithm.MD5, RetrySettings.DEFAULTS);
    try (S3Client flexible = S3Clients.create(local);
        S3Client required = S3Clients.create(local.withFlexibleChecksums(false))) {

      assertThatThrownBy(() -> uploader(flexible, md5))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("flexibleChecksums off");
      assertThatCode(() -> uploader(required, md5)).doesNotThrowAnyException();
    }
  }

  @Test
  void constructor_partSizeAbove1GiB_isAccepted_itsPartsAreStreamedNotBuffered() {
    UploaderSettings huge =
        new UploaderSettings(
            2048 * UploaderSettings.MIB, 4, ChecksumAlgorithm.CRC32C, RetrySettings.DEFAULTS);
    try (S3Client s3 = S3Clients.create(local)) {

      MultipartUploader uploader = uploader(s3, huge);

      assertThat(uploader.partBuffers().bufferSizeBytes())
          .isEqualTo(PartBuffers.MAX_BUFFER_SIZE_BYTES);
    }
  }

  @Test
  void constructor_partSizeNotAWholeMiB_buffersThePartSizeThePlanUses() {
    UploaderSettings odd =
        new UploaderSettings(6_000_000, 4, ChecksumAlgorithm.CRC32C, RetrySettings.DEFAULTS);
    try (S3Client s3 = S3Clients.create(local)) {

      assertThat(uploader(s3, odd).partBuffers().bufferSizeBytes())
          .isEqualTo(PartPlan.of(100 * UploaderSettings.MIB, 6_000_000).partSizeBytes())
          .isEqualTo(6 * UploaderSettings.MIB);
    }
  }

  @Test
  void constructor_bufferPoolSize_keepsThatManyBuffersIdleForAllUploads() {
    UploaderSettings small =
        new UploaderSettings(
            5 * UploaderSettings.MIB, 2, ChecksumAlgorithm.CRC32C, RetrySettings.DEFAULTS);
    try (S3Client s3 = S3Clients.create(local)) {
      PartBuffers pool = pooled(s3, small, 6).partBuffers();
      List<byte[]> inUse = new ArrayList<>();
      for (int i = 0; i < 6; i++) { // e.g. 3 uploads × 2 parts in flight
        inUse.add(pool.acquire(pool.bufferSizeBytes()));
      }
      inUse.forEach(pool::release);

      assertThat(pool.idleCount()).isEqualTo(6);
      assertThat(uploader(s3, small).partBuffers().maxIdle())
          .as("by default: one upload's parts in flight")
          .isEqualTo(2);
      assertThatThrownBy(() -> pooled(s3, small, -1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("bufferPoolSize must not be negative, was -1");
    }
  }

  private MultipartUploader pooled(S3Client s3, UploaderSettings settings, int bufferPoolSize) {
    return new MultipartUploader(
        s3,
        settings,
        threads,
        UploadListener.NONE,
        Clock.systemUTC(),
        FileOpener.PLAIN,
        bufferPoolSize);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void upload_openerRefuses_failsWithTheMatchingCodeWithoutTouchingTheStore(
      IOException refusal, ErrorCode code) throws Exception {
    Path file = Files.write(dir.resolve("refused.bin"), new byte[] {1, 2, 3});
    List<Path> opened = new CopyOnWriteArrayList<>();
    FileOpener refusing =
        path -> {
          opened.add(path);
          throw refusal;
        };
    try (S3Client unreachable = S3Clients.create(local)) {
      MultipartUploader uploader =
          new MultipartUploader(
              unreachable,
              UploaderSettings.DEFAULTS,
              threads,
              UploadListener.NONE,
              Clock.systemUTC(),
              refusing);

      UploadOutcome outcome =
          uploader.upload(new UploadSpec("r-1", file, "bucket", "k/refused.bin", null, Map.of()));

      assertThat(outcome)
          .isInstanceOfSatisfying(
              UploadFailed.class,
              failed -> {
                assertThat(failed.code()).isEqualTo(code);
                assertThat(failed.retryable()).isFalse();
                assertThat(failed.message()).contains(file.toString());
              });
      assertThat(opened).containsExactly(file);
    }
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(
            new PathNotAllowedException("/elsewhere/x", "outside the allowed roots"),
            ErrorCode.PATH_NOT_ALLOWED),
        Arguments.of(new NoSuchFileException("/data/x"), ErrorCode.FILE_NOT_FOUND),
        Arguments.of(new AccessDeniedException("/data/x"), ErrorCode.FILE_NOT_READABLE));
  }

  private MultipartUploader uploader(S3Client s3, UploaderSettings settings) {
    return new MultipartUploader(s3, settings, threads, UploadListener.NONE, Clock.systemUTC());
  }
}
