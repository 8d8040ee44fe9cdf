package io.uploadstream.upload;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.upload.KeyWriter.Placement;
import io.uploadstream.upload.UploadOutcome.UploadFailed;
import io.uploadstream.upload.UploadOutcome.UploadSucceeded;
import java.time.Instant;

/** What an upload that reached the store ends with: stored where placed, or a key conflict. */
final class StoreOutcomes {
  private StoreOutcomes() {}

  /**
   * The Content-Type an object is stored with. The processor resolves it (ContentTypes: the
   * request's, else detected from the file name) before it builds the spec; a caller that sets none
   * stores octet-stream.
   */
  static String contentType(UploadSpec spec) {
    return spec.contentType() != null ? spec.contentType() : MultipartUploader.DEFAULT_CONTENT_TYPE;
  }

  static UploadFailed keyConflict(UploadSpec spec, Placement.Taken taken, Instant startedAt) {
    return new UploadFailed(
        ErrorCode.KEY_CONFLICT,
        "not stored: s3://" + spec.bucket() + "/" + taken.key() + " is taken, " + taken.why(),
        false,
        startedAt);
  }

  static UploadSucceeded succeeded(
      UploadSpec spec,
      Placement.Placed placed,
      PartPlan plan,
      String contentType,
      Instant startedAt,
      Instant completedAt) {
    StoredObject stored = placed.stored();
    return new UploadSucceeded(
        spec.bucket(),
        placed.key(),
        plan.fileSizeBytes(),
        plan.reportedPartCount(),
        stored.etag(),
        contentType,
        stored.checksum(),
        stored.reused(),
        startedAt,
        completedAt);
  }
}
