package io.uploadstream.contract;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of one upload request: the event on the result topic, keyed by {@code requestId}.
 * {@code filePath} and {@code prefix} echo the request's, so a reader can tell which file a result
 * is about without keeping the request. Fields that do not apply are {@code null} (e.g. {@code
 * etag} of a failed upload). {@code sourceFile} is set only for a request with {@code
 * afterUpload=delete}.
 */
public record UploadResult(
    int schemaVersion,
    String requestId,
    String filePath,
    String prefix,
    Status status,
    String bucket,
    String key,
    String cdnUrl,
    Long size,
    Integer partCount,
    String etag,
    String contentType,
    Checksum checksum,
    Instant startedAt,
    Instant completedAt,
    UploadError error,
    SourceFileState sourceFile) {

  public enum Status {
    SUCCEEDED,
    FAILED
  }

  /** The whole object's checksum as the store confirmed it, e.g. {@code CRC32C} + base64 value. */
  public record Checksum(String algorithm, String value) {
    public Checksum {
      Objects.requireNonNull(algorithm, "algorithm");
      Objects.requireNonNull(value, "value");
    }
  }

  /** Why the upload failed and whether sending the same request again may succeed. */
  public record UploadError(ErrorCode code, String message, boolean retryable) {
    public UploadError {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }

  public UploadResult {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(status, "status");
    if (status == Status.FAILED && error == null) {
      throw new IllegalArgumentException("a FAILED result needs an error");
    }
    if (status == Status.SUCCEEDED && error != null) {
      throw new IllegalArgumentException("a SUCCEEDED result cannot carry an error");
    }
    if (status == Status.FAILED && sourceFile != null && sourceFile != SourceFileState.KEPT) {
      throw new IllegalArgumentException("a FAILED result keeps its file, was " + sourceFile);
    }
    if (status == Status.SUCCEEDED && sourceFile == SourceFileState.KEPT) {
      throw new IllegalArgumentException("a SUCCEEDED delete request's file is not kept");
    }
  }

  /**
   * Whether {@code other} says the same about the same request: equal but for {@code startedAt} and
   * {@code completedAt}. At-least-once delivery (share consumption, a crash in at-least-once mode)
   * may write a request's result twice, alike in everything else; readers drop such a repeat.
   */
  public boolean sameOutcome(UploadResult other) {
    return withoutTimes().equals(other.withoutTimes());
  }

  private UploadResult withoutTimes() {
    return new UploadResult(
        schemaVersion,
        requestId,
        filePath,
        prefix,
        status,
        bucket,
        key,
        cdnUrl,
        size,
        partCount,
        etag,
        contentType,
        checksum,
        null,
        null,
        error,
        sourceFile);
  }

  /** A result of a request that keeps its file ({@code sourceFile} absent). */
  public UploadResult(
      int schemaVersion,
      String requestId,
      String filePath,
      String prefix,
      Status status,
      String bucket,
      String key,
      String cdnUrl,
      Long size,
      Integer partCount,
      String etag,
      String contentType,
      Checksum checksum,
      Instant startedAt,
      Instant completedAt,
      UploadError error) {
    this(
        schemaVersion,
        requestId,
        filePath,
        prefix,
        status,
        bucket,
        key,
        cdnUrl,
        size,
        partCount,
        etag,
        contentType,
        checksum,
        startedAt,
        completedAt,
        error,
        null);
  }

  /** This result saying what becomes of the request's source file. */
  public UploadResult withSourceFile(SourceFileState source) {
    return new UploadResult(
        schemaVersion,
        requestId,
        filePath,
        prefix,
        status,
        bucket,
        key,
        cdnUrl,
        size,
        partCount,
        etag,
        contentType,
        checksum,
        startedAt,
        completedAt,
        error,
        source);
  }

  public boolean succeeded() {
    return status == Status.SUCCEEDED;
  }
}
