package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.S3Exception;

class StorageExceptionTest {
  private static final UploadSpec SPEC =
      new UploadSpec("req-1", Path.of("/f"), "bucket", "tmp/k", null, Map.of());

  @ParameterizedTest(name = "HTTP {0} {1} → the key is decided again: {2}")
  @CsvSource({
    "412, PreconditionFailed, true",
    "409, ConditionalRequestConflict, true",
    "404, NoSuchKey, true",
    "404, NoSuchUpload, true",
    "409, BucketAlreadyExists, false",
    "404, NoSuchBucket, false",
    "403, AccessDenied, false",
    "503, SlowDown, false",
  })
  void lostRace_isAnAnswerToAConditionalWriteOrAVanishedUpload(
      int status, String errorCode, boolean lostRace) {
    StorageException failure =
        StorageException.of("CompleteMultipartUpload", SPEC, "u-1", 0, response(status, errorCode));

    assertThat(failure.lostRace()).isEqualTo(lostRace);
  }

  @Test
  void preconditionFailed_checkedByTheUploader_readsAsTheStoresAnswer() {
    StorageException failure =
        StorageException.preconditionFailed("CompleteMultipartUpload", SPEC, "u-1", "changed");

    assertThat(failure.lostRace()).isTrue();
    assertThat(failure.retryable()).isFalse();
    assertThat(failure.statusCode()).isEqualTo(412);
    assertThat(failure.getMessage())
        .isEqualTo(
            "CompleteMultipartUpload failed for s3://bucket/tmp/k (uploadId u-1):"
                + " HTTP 412 PreconditionFailed: changed");
  }

  private static S3Exception response(int status, String errorCode) {
    return (S3Exception)
        S3Exception.builder()
            .statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(errorCode).build())
            .build();
  }
}
