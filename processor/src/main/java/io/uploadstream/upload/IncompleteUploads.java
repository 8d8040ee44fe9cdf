package io.uploadstream.upload;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * The bucket's multipart uploads that were started and neither completed nor aborted, and their
 * parts: ListMultipartUploads and ListParts followed page by page, each page under the retry
 * policy; and Abort. Failures come out as {@link StorageException}.
 */
final class IncompleteUploads {
  private static final Logger log = LoggerFactory.getLogger(IncompleteUploads.class);

  /** S3's largest page for both listings. */
  static final int MAX_PAGE_SIZE = 1000;

  private final S3Client s3;
  private final StorageRetry retry;
  private final int pageSize;

  IncompleteUploads(S3Client s3, StorageRetry retry) {
    this(s3, retry, MAX_PAGE_SIZE);
  }

  /** {@code pageSize} below the maximum is for tests of the paging. */
  IncompleteUploads(S3Client s3, StorageRetry retry, int pageSize) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.retry = Objects.requireNonNull(retry, "retry");
    this.pageSize = pageSize;
  }

  /**
   * Hands each page of the incomplete uploads whose key starts with {@code prefix} ({@code null}:
   * all of them) to {@code page} as soon as it is read, before the next page is asked for, so no
   * more than one page is held. S3 pages by key and upload id after the markers, so aborting
   * uploads of a page does not disturb the next.
   */
  void forEachPage(String bucket, String prefix, Consumer<List<MultipartUpload>> page) {
    String keyMarker = null;
    String uploadIdMarker = null;
    while (true) {
      ListMultipartUploadsResponse response =
          uploadsPage(bucket, prefix, keyMarker, uploadIdMarker);
      page.accept(response.uploads());
      if (!Boolean.TRUE.equals(response.isTruncated())) {
        return;
      }
      if (response.nextKeyMarker() == null
          || (response.nextKeyMarker().equals(keyMarker)
              && Objects.equals(response.nextUploadIdMarker(), uploadIdMarker))) {
        log.warn("ListMultipartUploads of {} says truncated but gives no next marker", bucket);
        return;
      }
      keyMarker = response.nextKeyMarker();
      uploadIdMarker = response.nextUploadIdMarker();
    }
  }

  /**
   * Every incomplete upload whose key starts with {@code prefix}, collected: for the uploads of one
   * key, which are few. A sweep of a bucket reads {@link #forEachPage page by page} instead.
   */
  List<MultipartUpload> under(String bucket, String prefix) {
    List<MultipartUpload> uploads = new ArrayList<>();
    forEachPage(bucket, prefix, uploads::addAll);
    return uploads;
  }

  /**
   * Hands the parts stored so far for upload {@code uploadId} of {@code key} to {@code page}, page
   * by page in part-number order, for as long as it answers true and pages remain.
   */
  void forEachPartsPage(String bucket, String key, String uploadId, Predicate<List<Part>> page) {
    Integer marker = null;
    while (true) {
      ListPartsResponse response = partsPage(bucket, key, uploadId, marker);
      if (!page.test(response.parts()) || !Boolean.TRUE.equals(response.isTruncated())) {
        return;
      }
      Integer next = response.nextPartNumberMarker();
      if (next == null || next.equals(marker)) {
        log.warn("ListParts of {} says truncated but gives no next marker", uploadId);
        return;
      }
      marker = next;
    }
  }

  /** The parts stored so far for upload {@code uploadId} of {@code key} (at most 10,000). */
  List<Part> parts(String bucket, String key, String uploadId) {
    List<Part> parts = new ArrayList<>();
    forEachPartsPage(
        bucket,
        key,
        uploadId,
        page -> {
          parts.addAll(page);
          return true;
        });
    return parts;
  }

  private ListMultipartUploadsResponse uploadsPage(
      String bucket, String prefix, String keyMarker, String uploadIdMarker) {
    return call(
        "ListMultipartUploads",
        bucket,
        prefix == null ? "" : prefix,
        null,
        () ->
            s3.listMultipartUploads(
                b ->
                    b.bucket(bucket)
                        .prefix(prefix)
                        .maxUploads(pageSize)
                        .keyMarker(keyMarker)
                        .uploadIdMarker(uploadIdMarker)));
  }

  private ListPartsResponse partsPage(String bucket, String key, String uploadId, Integer marker) {
    return call(
        "ListParts",
        bucket,
        key,
        uploadId,
        () ->
            s3.listParts(
                b ->
                    b.bucket(bucket)
                        .key(key)
                        .uploadId(uploadId)
                        .maxParts(pageSize)
                        .partNumberMarker(marker)));
  }

  /**
   * Aborts one upload, with the short abort retries. An upload that is already gone counts as
   * aborted; any other failure is thrown.
   */
  void abort(String bucket, String key, String uploadId) {
    try {
      retry.callAbort(
          () -> s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)));
    } catch (AwsServiceException e) {
      if (!StorageException.isNoSuchUpload(e)) {
        throw StorageException.of("AbortMultipartUpload", bucket, key, uploadId, e);
      }
      log.debug("multipart upload {} of s3://{}/{} was already gone", uploadId, bucket, key);
    } catch (SdkException e) {
      throw StorageException.of("AbortMultipartUpload", bucket, key, uploadId, e);
    }
  }

  private <T> T call(
      String operation, String bucket, String key, String uploadId, Supplier<T> call) {
    try {
      return retry.call(
          call,
          (attempt, cause) ->
              log.warn(
                  "{} of s3://{}/{} failed (attempt {}), retrying: {}",
                  operation,
                  bucket,
                  key,
                  attempt,
                  cause.toString()));
    } catch (SdkException e) {
      throw StorageException.of(operation, bucket, key, uploadId, e);
    }
  }
}
