package io.uploadstream.upload;

import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * What a write (PutObject, CompleteMultipartUpload) requires of its key: nothing ({@code
 * upload.on-key-conflict=overwrite}), that no object is there ({@code If-None-Match: *}), or that
 * the request's own object with this ETag still is ({@code If-Match}). When {@code checkedByStore}
 * the store decides atomically from the header; otherwise ({@code s3.conditional-writes=false}) no
 * header is sent and the uploader checks with a HeadObject right before completing.
 */
record WriteCondition(Expected expected, String etag, boolean checkedByStore) {

  enum Expected {
    ANYTHING,
    NO_OBJECT,
    THIS_ETAG
  }

  static final WriteCondition UNCONDITIONAL = new WriteCondition(Expected.ANYTHING, null, false);

  WriteCondition {
    Objects.requireNonNull(expected, "expected");
    if ((expected == Expected.THIS_ETAG) != (etag != null)) {
      throw new IllegalArgumentException("an ETag goes with THIS_ETAG only, was " + expected);
    }
  }

  static WriteCondition noObject(boolean checkedByStore) {
    return new WriteCondition(Expected.NO_OBJECT, null, checkedByStore);
  }

  static WriteCondition thisEtag(String etag, boolean checkedByStore) {
    return new WriteCondition(Expected.THIS_ETAG, Objects.requireNonNull(etag), checkedByStore);
  }

  PutObjectRequest.Builder applyTo(PutObjectRequest.Builder request) {
    if (!checkedByStore) {
      return request;
    }
    return expected == Expected.NO_OBJECT ? request.ifNoneMatch("*") : request.ifMatch(etag);
  }

  CompleteMultipartUploadRequest.Builder applyTo(CompleteMultipartUploadRequest.Builder request) {
    if (!checkedByStore) {
      return request;
    }
    return expected == Expected.NO_OBJECT ? request.ifNoneMatch("*") : request.ifMatch(etag);
  }

  /** Whether the uploader must check the key itself before completing (the store will not). */
  boolean checkedByUploader() {
    return !checkedByStore && expected != Expected.ANYTHING;
  }

  /** Whether what a HeadObject found is what this condition requires. */
  boolean heldBy(Optional<HeadObjectResponse> head) {
    return switch (expected) {
      case ANYTHING -> true;
      case NO_OBJECT -> head.isEmpty();
      case THIS_ETAG -> head.isPresent() && etag.equals(head.get().eTag());
    };
  }

  @Override
  public String toString() {
    String header =
        switch (expected) {
          case ANYTHING -> "unconditional";
          case NO_OBJECT -> "If-None-Match: *";
          case THIS_ETAG -> "If-Match: " + etag;
        };
    return checkedByStore || expected == Expected.ANYTHING ? header : header + " (checked by HEAD)";
  }
}
