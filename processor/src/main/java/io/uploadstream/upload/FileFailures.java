package io.uploadstream.upload;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.upload.UploadOutcome.UploadFailed;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What an upload that failed on its file (not on the store) answers: the code says what. */
final class FileFailures {
  private static final Logger log = LoggerFactory.getLogger(FileFailures.class);

  private FileFailures() {}

  static UploadFailed outcome(UploadSpec spec, IOException e, Instant startedAt) {
    if (e instanceof PathNotAllowedException refused) {
      return new UploadFailed(
          ErrorCode.PATH_NOT_ALLOWED,
          "not allowed to read " + spec.file() + ": " + refused.getReason(),
          false,
          startedAt);
    }
    if (e instanceof FileRefusedException refused) {
      // Retryable only when it changed: a file being written or replaced may be whole next time.
      boolean retryable = refused.code() == ErrorCode.FILE_CHANGED;
      return new UploadFailed(
          refused.code(), spec.file() + ": " + refused.getReason(), retryable, startedAt);
    }
    if (e instanceof NoSuchFileException) {
      return new UploadFailed(
          ErrorCode.FILE_NOT_FOUND, "no file at " + spec.file(), false, startedAt);
    }
    if (e instanceof AccessDeniedException) {
      return new UploadFailed(
          ErrorCode.FILE_NOT_READABLE, "no permission to read " + spec.file(), false, startedAt);
    }
    if (e instanceof FileChangedException) {
      // Retryable: a file still being written may be complete when the request is tried again.
      return new UploadFailed(ErrorCode.FILE_CHANGED, e.getMessage(), true, startedAt);
    }
    log.warn("cannot read {}", spec.file(), e);
    return new UploadFailed(
        ErrorCode.FILE_NOT_READABLE, "cannot read " + spec.file() + ": " + e, false, startedAt);
  }
}
