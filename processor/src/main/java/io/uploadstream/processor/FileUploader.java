package io.uploadstream.processor;

import io.uploadstream.upload.FileOpener;
import io.uploadstream.upload.UploadOutcome;
import io.uploadstream.upload.UploadSpec;

/**
 * Uploads one file, opening it (first and on every reopen) only through {@code opener}, which the
 * {@link PathGuard} bound to the file its check cleared; {@code MultipartUploader::upload} in
 * production, a fake in unit tests.
 */
@FunctionalInterface
interface FileUploader {
  UploadOutcome upload(UploadSpec spec, FileOpener opener) throws InterruptedException;
}
