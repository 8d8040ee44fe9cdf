package io.uploadstream.processor;

import io.uploadstream.processor.PathGuard.AllowedFile;

/**
 * A request's file to delete once its result is committed ({@code afterUpload=delete}): the very
 * file the upload read, named as the path check cleared it (root, real path, identity, size and
 * modification time), so only that file is deleted.
 */
record SourceDeletion(Deleter deleter, String requestId, AllowedFile file) {

  /** Takes deletes over, to run them elsewhere: {@link SourceDeleter}. */
  @FunctionalInterface
  interface Deleter {
    void submit(SourceDeletion deletion);
  }

  /** Hands the delete to the deleter; called on the loop thread once committed. */
  void start() {
    deleter.submit(this);
  }
}
