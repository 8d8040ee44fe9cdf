package io.uploadstream.processor;

import io.uploadstream.contract.DecodeResult;
import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.SourceFileState;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.keys.CdnUrls;
import io.uploadstream.keys.ContentTypes;
import io.uploadstream.keys.InvalidKeyException;
import io.uploadstream.keys.ObjectKeys;
import io.uploadstream.keys.RequestIdMetadata;
import io.uploadstream.upload.ObjectOptions;
import io.uploadstream.upload.UploadOutcome;
import io.uploadstream.upload.UploadOutcome.UploadSucceeded;
import io.uploadstream.upload.UploadSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Serves one valid request: key from prefix, name and time; what the request may ask ({@link
 * RequestRules}); file cleared by the {@link PathGuard}; upload, reading only the file the guard
 * cleared (its opener, on every open); result. Every way it can end — refused, failed, stored — is
 * a result, except an interruption (shutdown or revocation), which leaves the request for its next
 * run. A request with {@code afterUpload=delete} that succeeds names its file for deletion once the
 * result is committed; when its file is gone already (a redelivery after that delete), the object
 * it stored is its answer. A file at or above the hand-off size is not uploaded here but handed to
 * the large-file lane ({@link JobOutcome.HandedOff}): the size is known only once the guard has
 * checked the file, so the decision is made here, on the worker.
 */
final class UploadJob {
  private final PathGuard guard;
  private final FileUploader uploader;
  private final StorageOutageWait outageWait;
  private final String bucket;
  private final Answers answers;
  private final Clock clock;
  private final ProcessorListener listener;
  private final RequestRules rules;
  private final StoredObjects storedObjects;
  private final SourceDeleter deleter;
  private final OptionalLong handOffAtBytes;

  /** A job for requests that may not delete their file, with no object option defaults. */
  UploadJob(
      PathGuard guard,
      FileUploader uploader,
      StorageOutageWait outageWait,
      String bucket,
      CdnUrls cdnUrls,
      Clock clock,
      ProcessorListener listener) {
    this(
        guard,
        uploader,
        outageWait,
        bucket,
        cdnUrls,
        clock,
        listener,
        RequestRules.DEFAULTS,
        StoredObjects.NONE,
        null,
        OptionalLong.empty());
  }

  /** A job of the one lane that serves every request: nothing is handed off. */
  UploadJob(
      PathGuard guard,
      FileUploader uploader,
      StorageOutageWait outageWait,
      String bucket,
      CdnUrls cdnUrls,
      Clock clock,
      ProcessorListener listener,
      RequestRules rules,
      StoredObjects storedObjects,
      SourceDeleter deleter,
      OptionalLong handOffAtBytes) {
    this.handOffAtBytes = handOffAtBytes;
    this.guard = guard;
    this.uploader = uploader;
    this.outageWait = outageWait;
    this.bucket = bucket;
    this.answers = new Answers(bucket, cdnUrls, clock);
    this.clock = clock;
    this.listener = listener;
    this.rules = rules;
    this.storedObjects = storedObjects;
    this.deleter = deleter;
  }

  /** {@code recordTime} stands in for a missing {@code requestedAt}, so keys are deterministic. */
  JobOutcome run(UploadRequest request, Instant recordTime) throws InterruptedException {
    Instant startedAt = clock.instant();
    Named named;
    try {
      named = Named.of(request, recordTime);
    } catch (InvalidKeyException e) {
      return failed(request, null, startedAt, ErrorCode.INVALID_REQUEST, e.getMessage(), false);
    }
    ObjectOptions options;
    PathGuard.AllowedFile file;
    try {
      checkMetadata(request);
      options = rules.options(request);
      file = guard.check(request.filePath());
      RequestRules.checkDeletable(request, file);
    } catch (PathGuard.Refused refused) {
      if (refused.code() == ErrorCode.FILE_NOT_FOUND && request.deletesSource()) {
        return storedBefore(request, named.key(), startedAt, refused);
      }
      return failed(request, named.key(), startedAt, refused.code(), refused.getMessage(), false);
    }
    if (handOffAtBytes.isPresent() && file.sizeBytes() >= handOffAtBytes.getAsLong()) {
      return new JobOutcome.HandedOff(
          request.withRequestedAt(named.requestedAt()), file.sizeBytes());
    }
    UploadOutcome outcome = upload(request, named.spec(request, file, bucket, options), file);
    return outcome.fold(
        stored -> succeeded(request, stored, file),
        failure ->
            failed(
                request,
                named.key(),
                failure.startedAt(),
                failure.code(),
                failure.message(),
                failure.retryable()));
  }

  /** The name in a request's key, the time it was requested at, and the key. */
  private record Named(String fileName, Instant requestedAt, String key) {
    static Named of(UploadRequest request, Instant recordTime) {
      String fileName =
          request.fileName() != null
              ? request.fileName()
              : ObjectKeys.defaultFileName(request.filePath());
      Instant requestedAt = request.requestedAt() != null ? request.requestedAt() : recordTime;
      return new Named(
          fileName, requestedAt, ObjectKeys.key(request.prefix(), requestedAt, fileName));
    }

    UploadSpec spec(
        UploadRequest request, PathGuard.AllowedFile file, String bucket, ObjectOptions options) {
      String contentType = ContentTypes.resolve(request.contentType(), fileName);
      return new UploadSpec(
          request.requestId(),
          file.realPath(),
          bucket,
          key,
          contentType,
          request.metadata(),
          options);
    }
  }

  /** The result for a request whose job failed with an exception nobody foresaw. */
  UploadResult internalError(UploadRequest request, Throwable cause) {
    String message = "internal error: " + cause;
    return answers.failed(request, null, clock.instant(), ErrorCode.INTERNAL_ERROR, message, true);
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
    return answers.failed(
        request, null, clock.instant(), ErrorCode.DELIVERY_LIMIT_REACHED, message, false);
  }

  /**
   * The answer to a record refused for its shape whose {@code requestId} could be read: FAILED with
   * INVALID_REQUEST and what the schema said, so the caller waiting on that id hears why.
   */
  UploadResult refused(DecodeResult.Echo echo, String message) {
    return answers.refused(echo, message);
  }

  /** The schema refuses reserved metadata names; a request built otherwise must be refused too. */
  private static void checkMetadata(UploadRequest request) throws PathGuard.Refused {
    Optional<String> reserved =
        request.metadata().keySet().stream().filter(RequestIdMetadata::isReserved).findFirst();
    if (reserved.isPresent()) {
      throw new PathGuard.Refused(
          ErrorCode.INVALID_REQUEST,
          "metadata name '"
              + reserved.get()
              + "' uses the prefix reserved for the processor: "
              + RequestIdMetadata.RESERVED_PREFIX);
    }
  }

  private UploadOutcome upload(UploadRequest request, UploadSpec spec, PathGuard.AllowedFile file)
      throws InterruptedException {
    listener.uploadStarted(request.requestId(), file.sizeBytes());
    try {
      return outageWait.upload(uploader, spec, guard.opener(file));
    } finally {
      listener.uploadEnded(request.requestId());
    }
  }

  private JobOutcome.Answered succeeded(
      UploadRequest request, UploadSucceeded stored, PathGuard.AllowedFile file) {
    UploadResult result = answers.succeeded(request, stored);
    if (!request.deletesSource()) {
      return JobOutcome.Answered.of(result);
    }
    return new JobOutcome.Answered(
        result.withSourceFile(SourceFileState.DELETE_PENDING),
        Optional.of(new SourceDeletion(deleter, request.requestId(), file)));
  }

  /**
   * A delete request whose file is not there: if the request stored its object already (its file
   * was deleted after that upload's result), that object is the answer; otherwise the file is
   * simply missing.
   */
  private JobOutcome.Answered storedBefore(
      UploadRequest request, String key, Instant startedAt, PathGuard.Refused notFound)
      throws InterruptedException {
    UploadSpec spec =
        new UploadSpec(
            request.requestId(), Path.of(request.filePath()), bucket, key, null, Map.of());
    Optional<UploadOutcome> found = storedObjects.find(spec);
    if (found.isEmpty()) {
      return failed(request, key, startedAt, notFound.code(), notFound.getMessage(), false);
    }
    return JobOutcome.Answered.of(
        found
            .get()
            .fold(
                stored -> answers.succeeded(request, stored).withSourceFile(SourceFileState.GONE),
                failure ->
                    answers.failed(
                        request,
                        key,
                        startedAt,
                        failure.code(),
                        failure.message(),
                        failure.retryable())));
  }

  /** A failed request's answer: a delete request's file, if there is one, is kept. */
  private JobOutcome.Answered failed(
      UploadRequest request,
      String key,
      Instant startedAt,
      ErrorCode code,
      String message,
      boolean retryable) {
    UploadResult result = answers.failed(request, key, startedAt, code, message, retryable);
    boolean fileKept = request.deletesSource() && code != ErrorCode.FILE_NOT_FOUND;
    return JobOutcome.Answered.of(fileKept ? result.withSourceFile(SourceFileState.KEPT) : result);
  }
}
