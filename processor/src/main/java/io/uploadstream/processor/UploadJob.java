package io.uploadstream.processor;

import io.uploadstream.contract.DecodeResult;
import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.contract.UploadResult.Status;
import io.uploadstream.contract.UploadResult.UploadError;
import io.uploadstream.keys.CdnUrls;
import io.uploadstream.keys.ContentTypes;
import io.uploadstream.keys.InvalidKeyException;
import io.uploadstream.keys.ObjectKeys;
import io.uploadstream.keys.RequestIdMetadata;
import io.uploadstream.upload.UploadOutcome;
import io.uploadstream.upload.UploadOutcome.UploadFailed;
import io.uploadstream.upload.UploadOutcome.UploadSucceeded;
import io.uploadstream.upload.UploadSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one valid request: key from prefix, name and time; file cleared by the {@link PathGuard};
 * upload, reading only the file the guard cleared (its opener, on every open); result. Every way it
 * can end — refused, failed, stored — is a result, except an interruption (shutdown or revocation),
 * which leaves the request for its next run.
 */
final class UploadJob {
  private static final Logger log = LoggerFactory.getLogger(UploadJob.class);

  private final PathGuard guard;
  private final FileUploader uploader;
  private final String bucket;
  private final CdnUrls cdnUrls;
  private final StorageOutageWait outageWait;
  private final Clock clock;
  private final ProcessorListener listener;

  /** {@code listener} hears {@code uploadStarted}/{@code uploadEnded}, on the calling thread. */
  UploadJob(
      PathGuard guard,
      FileUploader uploader,
      StorageOutageWait outageWait,
      String bucket,
      CdnUrls cdnUrls,
      Clock clock,
      ProcessorListener listener) {
    this.guard = guard;
    this.uploader = uploader;
    this.outageWait = outageWait;
    this.bucket = bucket;
    this.cdnUrls = cdnUrls;
    this.clock = clock;
    this.listener = listener;
  }

  /** {@code recordTime} stands in for a missing {@code requestedAt}, so keys are deterministic. */
  UploadResult run(UploadRequest request, Instant recordTime) throws InterruptedException {
    Instant startedAt = clock.instant();
    Instant requestedAt = request.requestedAt() != null ? request.requestedAt() : recordTime;
    String fileName;
    String key;
    try {
      fileName =
          request.fileName() != null
              ? request.fileName()
              : ObjectKeys.defaultFileName(request.filePath());
      key = ObjectKeys.key(request.prefix(), requestedAt, fileName);
    } catch (InvalidKeyException e) {
      return failed(request, null, startedAt, ErrorCode.INVALID_REQUEST, e.getMessage(), false);
    }
    Optional<String> reserved =
        request.metadata().keySet().stream().filter(RequestIdMetadata::isReserved).findFirst();
    if (reserved.isPresent()) { // the schema refuses these; a request built otherwise must too
      String message =
          "metadata name '"
              + reserved.get()
              + "' uses the prefix reserved for the processor: "
              + RequestIdMetadata.RESERVED_PREFIX;
      return failed(request, key, startedAt, ErrorCode.INVALID_REQUEST, message, false);
    }
    PathGuard.AllowedFile file;
    try {
      file = guard.check(request.filePath());
    } catch (PathGuard.Refused refused) {
      return failed(request, key, startedAt, refused.code(), refused.getMessage(), false);
    }
    String contentType = ContentTypes.resolve(request.contentType(), fileName);
    UploadSpec spec =
        new UploadSpec(
            request.requestId(), file.realPath(), bucket, key, contentType, request.metadata());
    UploadOutcome outcome;
    listener.uploadStarted(request.requestId(), file.sizeBytes());
    try {
      outcome = outageWait.upload(uploader, spec, guard.opener(file));
    } finally {
      listener.uploadEnded(request.requestId());
    }
    if (outcome instanceof UploadSucceeded stored) {
      return succeeded(request, stored);
    }
    UploadFailed failure = (UploadFailed) outcome; // the only other outcome of the sealed type
    return failed(
        request, key, failure.startedAt(), failure.code(), failure.message(), failure.retryable());
  }

  /** The result for a request whose job failed with an exception nobody foresaw. */
  UploadResult internalError(UploadRequest request, Throwable cause) {
    String message = "internal error: " + cause;
    return failed(request, null, clock.instant(), ErrorCode.INTERNAL_ERROR, message, true);
  }

  /**
   * Share consumption: the answer to a request on its last allowed delivery, given instead of an
   * attempt (each earlier holder crashed, gave it up or lost its lock).
   */
  UploadResult undeliverable(UploadRequest request, int deliveries) {
    String message =
        "delivered "
            + deliveries
            + " times (share.delivery-limit) without an outcome: each holder crashed, gave it up"
            + " or lost its lock, so this delivery answers instead of trying again";
    return failed(request, null, clock.instant(), ErrorCode.DELIVERY_LIMIT_REACHED, message, false);
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

  private UploadResult succeeded(UploadRequest request, UploadSucceeded stored) {
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

  private UploadResult failed(
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
}
