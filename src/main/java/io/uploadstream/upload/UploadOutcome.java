package io.uploadstream.upload;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.UploadResult.Checksum;
import java.time.Instant;
import java.util.Objects;

/** What an upload ended with: switch over {@link UploadSucceeded} and {@link UploadFailed}. */
public sealed interface UploadOutcome {

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
  }

  /**
   * The upload did not happen; nothing incomplete is left in the bucket. {@code retryable} says
   * whether the same request may succeed later (a store outage) or never will (a 403).
   */
  record UploadFailed(ErrorCode code, String message, boolean retryable, Instant startedAt)
      implements UploadOutcome {
    public UploadFailed {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(startedAt, "startedAt");
    }
  }
}
