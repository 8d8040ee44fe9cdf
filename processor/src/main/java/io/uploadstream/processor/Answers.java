package io.uploadstream.processor;

import io.uploadstream.contract.DecodeResult;
import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.contract.UploadResult.Status;
import io.uploadstream.contract.UploadResult.UploadError;
import io.uploadstream.keys.CdnUrls;
import io.uploadstream.upload.UploadOutcome.UploadSucceeded;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The results one processor writes: where objects are (bucket, CDN URL) and what each says. */
final class Answers {
  private static final Logger log = LoggerFactory.getLogger(Answers.class);

  private final String bucket;
  private final CdnUrls cdnUrls;
  private final Clock clock;

  Answers(String bucket, CdnUrls cdnUrls, Clock clock) {
    this.bucket = bucket;
    this.cdnUrls = cdnUrls;
    this.clock = clock;
  }

  UploadResult succeeded(UploadRequest request, UploadSucceeded stored) {
    return new UploadResult(
        UploadRequest.CURRENT_SCHEMA_VERSION,
        request.requestId(),
        request.filePath(),
        request.prefix(),
        Status.SUCCEEDED,
        stored.bucket(),
        stored.key(),
        cdnUrls.url(stored.bucket(), stored.key()),
        stored.sizeBytes(),
        stored.partCount(),
        stored.etag(),
        stored.contentType(),
        stored.checksum(),
        stored.startedAt(),
        stored.completedAt(),
        null);
  }

  UploadResult failed(
      UploadRequest request,
      String key,
      Instant startedAt,
      ErrorCode code,
      String message,
      boolean retryable) {
    log.debug("request {} failed: {} {}", request.requestId(), code, message);
    return new UploadResult(
        UploadRequest.CURRENT_SCHEMA_VERSION,
        request.requestId(),
        request.filePath(),
        request.prefix(),
        Status.FAILED,
        bucket,
        key,
        key == null ? null : cdnUrls.url(bucket, key),
        null,
        null,
        null,
        null,
        null,
        startedAt,
        clock.instant(),
        new UploadError(code, message, retryable));
  }

  /**
   * The answer to a record refused for its shape whose {@code requestId} could be read: FAILED with
   * INVALID_REQUEST and what the schema said, so the caller waiting on that id hears why.
   */
  UploadResult refused(DecodeResult.Echo echo, String message) {
    Instant now = clock.instant();
    return new UploadResult(
        UploadRequest.CURRENT_SCHEMA_VERSION,
        echo.requestId(),
        echo.filePath(),
        echo.prefix(),
        Status.FAILED,
        bucket,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        now,
        now,
        new UploadError(ErrorCode.INVALID_REQUEST, message, false));
  }
}
