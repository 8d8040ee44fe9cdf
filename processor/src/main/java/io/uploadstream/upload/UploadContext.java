package io.uploadstream.upload;

import java.util.concurrent.ExecutorService;

/** What one upload's parts share: the request, the open file and the uploader's resources. */
record UploadContext(
    UploadSpec spec,
    SourceFile file,
    UploaderSettings settings,
    ExecutorService executor,
    UploadListener listener,
    PartBuffers buffers) {

  /** This upload to {@code key} instead (a renamed key). */
  UploadContext withKey(String key) {
    return new UploadContext(spec.withKey(key), file, settings, executor, listener, buffers);
  }

  /** This upload reading {@code file} instead (the same file, opened again). */
  UploadContext withFile(SourceFile file) {
    return new UploadContext(spec, file, settings, executor, listener, buffers);
  }
}
