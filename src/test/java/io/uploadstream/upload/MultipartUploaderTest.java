package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.upload.UploadOutcome.UploadFailed;
import java.io.IOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
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
  void constructor_partsTooLargeToBuffer_isRejected() {
    UploaderSettings huge =
        new UploaderSettings(
            2048 * UploaderSettings.MIB, 4, ChecksumAlgorithm.CRC32C, RetrySettings.DEFAULTS);
    try (S3Client s3 = S3Clients.create(local)) {

      assertThatThrownBy(() -> uploader(s3, huge))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at most 1 GiB");
    }
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
