package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

class MultipartUploaderTest {
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

  private MultipartUploader uploader(S3Client s3, UploaderSettings settings) {
    return new MultipartUploader(s3, settings, threads, UploadListener.NONE, Clock.systemUTC());
  }
}
