package io.uploadstream.processor;

import io.uploadstream.contract.UploadRequest;

/**
 * How an {@link UploadJob} ended: the request answered here ({@link UploadJob.Answer}: stored,
 * refused or failed), or handed to the large-file lane.
 */
sealed interface JobOutcome permits UploadJob.Answer, JobOutcome.HandedOff {

  /**
   * The file is large: the request goes to the large-request topic, its {@code requestedAt} set
   * (from the original record's timestamp if it had none), so it maps to the same key there.
   */
  record HandedOff(UploadRequest request, long sizeBytes) implements JobOutcome {}
}
