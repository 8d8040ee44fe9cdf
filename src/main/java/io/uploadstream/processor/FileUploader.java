package io.uploadstream.processor;

import io.uploadstream.upload.UploadOutcome;
import io.uploadstream.upload.UploadSpec;

/** Uploads one file; {@code MultipartUploader::upload} in production, a fake in unit tests. */
@FunctionalInterface
interface FileUploader {
  UploadOutcome upload(UploadSpec spec) throws InterruptedException;
}
