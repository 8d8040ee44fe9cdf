package io.uploadstream.upload;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A call to the store failed for good (retries, if any, are exhausted). Carries where it happened;
 * {@code uploadId} is {@code null} outside a multipart upload, {@code partNumber} 0 when no part
 * was involved, {@code statusCode} 0 when no HTTP response arrived (a network failure). {@code
 * uploadKept} is true when the multipart upload {@code uploadId} was left in the store, not
 * aborted, for the next attempt to resume.
 */
final class StorageException extends RuntimeException {
  private final String operation;
  private final String bucket;
  private final String key;
  private final String uploadId;
  private final int partNumber;
  private final int statusCode;
  private final boolean retryable;
  private final boolean uploadKept;

  private StorageException(
      String operation,
      String bucket,
      String key,
      String uploadId,
      int partNumber,
      SdkException cause) {
    this(
        describe(operation, bucket, key, uploadId, partNumber, cause),
        operation,
        bucket,
        key,
        uploadId,
        partNumber,
        cause,
        cause);
  }

  /** {@code cause} is kept as the cause unless it may show what {@code message} hides. */
  private StorageException(
      String message,
      String operation,
      String bucket,
      String key,
      String uploadId,
      int partNumber,
      SdkException cause,
      SdkException shownCause) {
    super(message, shownCause);
    this.operation = operation;
    this.bucket = bucket;
    this.key = key;
    this.uploadId = uploadId;
    this.partNumber = partNumber;
    this.statusCode = cause instanceof AwsServiceException e ? e.statusCode() : 0;
    this.retryable = StorageRetry.isRetryable(cause);
    this.uploadKept = false;
  }

  private StorageException(StorageException failure, boolean uploadKept) {
    super(failure.getMessage(), failure.getCause());
    setStackTrace(failure.getStackTrace());
    this.operation = failure.operation;
    this.bucket = failure.bucket;
    this.key = failure.key;
    this.uploadId = failure.uploadId;
    this.partNumber = failure.partNumber;
    this.statusCode = failure.statusCode;
    this.retryable = failure.retryable;
    this.uploadKept = uploadKept;
  }

  static StorageException of(
      String operation, UploadSpec spec, String uploadId, int partNumber, SdkException cause) {
    return new StorageException(operation, spec.bucket(), spec.key(), uploadId, partNumber, cause);
  }

  /**
   * A write (PutObject, CreateMultipartUpload) of {@code spec} failed. When the store refused it
   * and the upload set object options or encryption, the message names them ({@link
   * OptionRefusal}). The KMS key id never shows: it is masked in the message, and a store's answer
   * that names it is not kept as the cause.
   */
  static StorageException ofWrite(
      String operation, UploadSpec spec, String uploadId, Encryption encryption, SdkException e) {
    String described = describe(operation, spec.bucket(), spec.key(), uploadId, 0, e);
    String message =
        encryption.scrub(
            described + OptionRefusal.explain(e, spec.options(), encryption).orElse(""));
    boolean namesKey = !encryption.scrub(String.valueOf(e.getMessage())).equals(e.getMessage());
    return new StorageException(
        message, operation, spec.bucket(), spec.key(), uploadId, 0, e, namesKey ? null : e);
  }

  static StorageException of(
      String operation, String bucket, String key, String uploadId, SdkException cause) {
    return new StorageException(operation, bucket, key, uploadId, 0, cause);
  }

  private static String describe(
      String operation,
      String bucket,
      String key,
      String uploadId,
      int partNumber,
      SdkException cause) {
    StringBuilder text = new StringBuilder(operation).append(" failed for s3://");
    text.append(bucket).append('/').append(key);
    if (uploadId != null) {
      text.append(" (uploadId ").append(uploadId);
      text.append(partNumber > 0 ? ", part " + partNumber + ")" : ")");
    }
    return text.append(": ").append(reason(cause)).toString();
  }

  /** "HTTP 503 SlowDown: Please reduce your request rate." or the client-side failure. */
  private static String reason(SdkException cause) {
    if (cause instanceof AwsServiceException e && e.awsErrorDetails() != null) {
      return "HTTP "
          + e.statusCode()
          + " "
          + e.awsErrorDetails().errorCode()
          + ": "
          + e.awsErrorDetails().errorMessage();
    }
    return cause.getMessage();
  }

  String operation() {
    return operation;
  }

  String bucket() {
    return bucket;
  }

  String key() {
    return key;
  }

  String uploadId() {
    return uploadId;
  }

  int partNumber() {
    return partNumber;
  }

  int statusCode() {
    return statusCode;
  }

  /** Whether the store answered that the multipart upload does not exist (aborted or completed). */
  boolean noSuchUpload() {
    return getCause() instanceof AwsServiceException e && isNoSuchUpload(e);
  }

  static boolean isNoSuchUpload(AwsServiceException e) {
    return e.awsErrorDetails() != null && "NoSuchUpload".equals(e.awsErrorDetails().errorCode());
  }

  /**
   * Whether the key or the upload changed under this write, so the write must be decided again from
   * what the key now holds: a conditional write refused (412 PreconditionFailed), raced by another
   * (409 ConditionalRequestConflict), or aimed at an object that vanished (404 NoSuchKey on
   * If-Match); or the multipart upload completed or aborted by someone else (NoSuchUpload).
   */
  boolean lostRace() {
    if (!(getCause() instanceof AwsServiceException e) || e.awsErrorDetails() == null) {
      return false;
    }
    String code = e.awsErrorDetails().errorCode();
    return e.statusCode() == 412
        || "ConditionalRequestConflict".equals(code)
        || "NoSuchKey".equals(code)
        || "NoSuchUpload".equals(code);
  }

  /**
   * A conditional write the uploader checked itself (the store offers none) and found broken, as a
   * store would answer it: 412 PreconditionFailed.
   */
  static StorageException preconditionFailed(
      String operation, UploadSpec spec, String uploadId, String why) {
    S3Exception refused =
        (S3Exception)
            S3Exception.builder()
                .statusCode(412)
                .message(why)
                .awsErrorDetails(
                    AwsErrorDetails.builder()
                        .errorCode("PreconditionFailed")
                        .errorMessage(why)
                        .build())
                .build();
    return of(operation, spec, uploadId, 0, refused);
  }

  /** True when the failure was retryable and retries ran out: the same upload may work later. */
  boolean retryable() {
    return retryable;
  }

  /** This failure, noting that its multipart upload was kept for the next attempt to resume. */
  StorageException withUploadKept() {
    return new StorageException(this, true);
  }

  boolean uploadKept() {
    return uploadKept;
  }
}
