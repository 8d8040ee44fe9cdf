package io.uploadstream.processor;

import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;

/** How an {@link UploadJob} ended: the request answered, or handed to the large-file lane. */
sealed interface JobOutcome {

  /** Served here: stored, refused or failed. */
  record Answered(UploadResult result) implements JobOutcome {}

  /**
   * The file is large: the request goes to the large-request topic, its {@code requestedAt} set
   * (from the original record's timestamp if it had none), so it maps to the same key there.
   */
  record HandedOff(UploadRequest request, long sizeBytes) implements JobOutcome {}
}
