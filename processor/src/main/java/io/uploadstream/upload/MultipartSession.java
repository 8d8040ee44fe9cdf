package io.uploadstream.upload;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * One multipart upload's calls to the store: create, parts, complete, abort. Every call but abort
 * runs under the retry policy; failures come out as {@link StorageException} with the upload's
 * context. Thread-safe: parts are sent from several threads.
 */
final class MultipartSession {
  private static final Logger log = LoggerFactory.getLogger(MultipartSession.class);

  private final S3Client s3;
  private final StorageRetry retry;
  private final UploadSpec spec;
  private final String contentType;
  private final String uploadId;

  private MultipartSession(
      S3Client s3, StorageRetry retry, UploadSpec spec, String contentType, String uploadId) {
    this.s3 = s3;
    this.retry = retry;
    this.spec = spec;
    this.contentType = contentType;
    this.uploadId = uploadId;
  }

  /**
   * Creates an upload stored, once completed, with the spec's Content-Type, metadata and {@link
   * ObjectOptions} (tags included) and with {@code settings}' encryption and checksum algorithm.
   */
  static MultipartSession create(
      S3Client s3,
      StorageRetry retry,
      UploadSpec spec,
      String contentType,
      UploaderSettings settings) {
    CreateMultipartUploadRequest.Builder request =
        settings
            .encryption()
            .applyTo(
                spec.options()
                    .applyTo(
                        CreateMultipartUploadRequest.builder()
                            .bucket(spec.bucket())
                            .key(spec.key())
                            .contentType(contentType)
                            .metadata(spec.storedMetadata())));
    if (settings.checksumAlgorithm() == ChecksumAlgorithm.CRC32C) {
      // S3 wants the parts' algorithm declared up front to keep their checksums.
      request.checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32_C);
    }
    String uploadId;
    try {
      uploadId =
          retry.call(
              () -> s3.createMultipartUpload(request.build()).uploadId(),
              logged("CreateMultipartUpload", spec));
    } catch (SdkException e) {
      throw StorageException.ofWrite("CreateMultipartUpload", spec, null, settings.encryption(), e);
    }
    return new MultipartSession(s3, retry, spec, contentType, uploadId);
  }

  /** Continues upload {@code uploadId} that an earlier attempt created for the same key. */
  static MultipartSession resume(
      S3Client s3, StorageRetry retry, UploadSpec spec, String contentType, String uploadId) {
    return new MultipartSession(s3, retry, spec, contentType, uploadId);
  }

  String uploadId() {
    return uploadId;
  }

  /**
   * Sends one part (retrying as the policy allows) and returns it as Complete will list it.
   *
   * @throws IOException when reading a body streamed from the file failed (the file changed...)
   */
  CompletedPart uploadPart(
      int partNumber,
      ContentStreamProvider body,
      long lengthBytes,
      PartChecksum checksum,
      StorageRetry.RetryObserver observer)
      throws IOException {
    UploadPartRequest request =
        checksum
            .applyTo(
                UploadPartRequest.builder()
                    .bucket(spec.bucket())
                    .key(spec.key())
                    .uploadId(uploadId)
                    .partNumber(partNumber)
                    .contentLength(lengthBytes))
            .build();
    RequestBody requestBody = RequestBody.fromContentProvider(body, lengthBytes, contentType);
    UploadPartResponse response;
    try {
      response = retry.call(() -> s3.uploadPart(request, requestBody), observer);
    } catch (SdkException e) {
      FileRangeBody.throwIfReadFailed(e);
      throw StorageException.of("UploadPart", spec, uploadId, partNumber, e);
    }
    return checksum.completedPart(partNumber, response.eTag());
  }

  /**
   * Completes the upload from its parts, which must be sorted by part number, if the key is as
   * {@code condition} requires (a 412 PreconditionFailed otherwise, not retried).
   */
  CompleteMultipartUploadResponse complete(
      List<CompletedPart> sortedParts, WriteCondition condition) {
    CompleteMultipartUploadRequest request =
        condition
            .applyTo(
                CompleteMultipartUploadRequest.builder()
                    .bucket(spec.bucket())
                    .key(spec.key())
                    .uploadId(uploadId)
                    .multipartUpload(m -> m.parts(sortedParts)))
            .build();
    return call(
        "CompleteMultipartUpload",
        spec,
        uploadId,
        0,
        () ->
            retry.call(
                () -> s3.completeMultipartUpload(request),
                logged("CompleteMultipartUpload", spec)));
  }

  /**
   * Aborts the upload so no parts are left behind, with a few quick retries (failure and shutdown
   * paths must end promptly). If it still fails, the uploadId is logged so an operator (or a bucket
   * lifecycle rule for incomplete uploads) can clean up. An upload that is already gone counts as
   * aborted.
   */
  void abort() {
    try {
      retry.callAbort(
          () ->
              s3.abortMultipartUpload(
                  b -> b.bucket(spec.bucket()).key(spec.key()).uploadId(uploadId)));
    } catch (SdkException e) {
      if (e instanceof AwsServiceException response && StorageException.isNoSuchUpload(response)) {
        log.debug("multipart upload {} was already gone", uploadId);
        return;
      }
      log.error(
          "could not abort multipart upload {} of s3://{}/{}; its parts stay in the bucket until"
              + " aborted",
          uploadId,
          spec.bucket(),
          spec.key(),
          e);
    }
  }

  private static <T> T call(
      String operation, UploadSpec spec, String uploadId, int partNumber, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      throw StorageException.of(operation, spec, uploadId, partNumber, e);
    }
  }

  private static StorageRetry.RetryObserver logged(String operation, UploadSpec spec) {
    return (attempt, cause) ->
        log.warn(
            "{} of s3://{}/{} failed (attempt {}), retrying: {}",
            operation,
            spec.bucket(),
            spec.key(),
            attempt,
            cause.toString());
  }
}
