package io.uploadstream.upload;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.UploadResult.Checksum;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;

/**
 * What an upload ended with: {@link UploadSucceeded} or {@link UploadFailed}. Callers handle both
 * through {@link #fold}, so a new kind of outcome is a compile error at every caller, never a cast
 * that fails at run time (Java 17 has no pattern {@code switch}).
 */
public sealed interface UploadOutcome {

  /** {@code succeeded} of a stored object, or {@code failed} of a failure. */
  <R> R fold(
      Function<? super UploadSucceeded, ? extends R> succeeded,
      Function<? super UploadFailed, ? extends R> failed);

  /**
   * The object is stored. {@code partCount} is 0 for a single PutObject. {@code reused} is true
   * when the object already existed with the same size and checksum and nothing was sent.
   */
  record UploadSucceeded(
      String bucket,
      String key,
      long sizeBytes,
      int partCount,
      String etag,
      String contentType,
      Checksum checksum,
      boolean reused,
      Instant startedAt,
      Instant completedAt)
      implements UploadOutcome {
    public UploadSucceeded {
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(etag, "etag");
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(startedAt, "startedAt");
      Objects.requireNonNull(completedAt, "completedAt");
    }

    @Override
    public <R> R fold(
        Function<? super UploadSucceeded, ? extends R> succeeded,
        Function<? super UploadFailed, ? extends R> failed) {
      return succeeded.apply(this);
    }
  }

  /**
   * The upload did not happen. {@code retryable} says whether the same request may succeed later (a
   * store outage) or never will (a 403).
   *
   * <p>{@code leftForResume} is true when a multipart upload failed because the store kept failing
   * (a retryable {@code STORAGE_ERROR}): its upload was kept in the store, so uploading the same
   * request again resumes it and sends only the parts still missing. If the request is never tried
   * again, the janitor or the bucket's lifecycle rule removes it. Otherwise nothing incomplete is
   * left in the bucket.
   */
  record UploadFailed(
      ErrorCode code, String message, boolean retryable, Instant startedAt, boolean leftForResume)
      implements UploadOutcome {
    public UploadFailed {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(startedAt, "startedAt");
      if (leftForResume && !retryable) {
        throw new IllegalArgumentException(
            "leftForResume needs retryable: nobody would resume the upload, was " + code);
      }
    }

    /** A failure that left nothing in the bucket. */
    public UploadFailed(ErrorCode code, String message, boolean retryable, Instant startedAt) {
      this(code, message, retryable, startedAt, false);
    }

    @Override
    public <R> R fold(
        Function<? super UploadSucceeded, ? extends R> succeeded,
        Function<? super UploadFailed, ? extends R> failed) {
      return failed.apply(this);
    }
  }
}
