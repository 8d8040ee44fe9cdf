package io.uploadstream.processor;

import io.uploadstream.upload.UploadOutcome;
import io.uploadstream.upload.UploadSpec;
import java.util.Optional;

/**
 * Finds the object a request stored before, by its key and the {@code requestId} it carries: how a
 * redelivery of a request whose file was deleted after the upload is answered. {@code
 * MultipartUploader::findStored} in production.
 */
@FunctionalInterface
interface StoredObjects {
  StoredObjects NONE = spec -> Optional.empty();

  /**
   * The request's stored object as a success, a failure to look ({@code STORAGE_ERROR}), or empty
   * when the key holds no object of this request.
   */
  Optional<UploadOutcome> find(UploadSpec spec) throws InterruptedException;
}
