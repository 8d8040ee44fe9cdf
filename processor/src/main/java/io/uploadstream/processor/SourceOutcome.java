package io.uploadstream.processor;

/** What the delete of a request's source file did, after its result was committed. */
public enum SourceOutcome {
  /** The file was the one uploaded, and is deleted. */
  DELETED,
  /** Another file is at the path now, or the file was modified since the upload: kept. */
  CHANGED,
  /** Nothing was at the path any more. */
  GONE,
  /**
   * The path no longer leads to the file inside its root the way it did (a directory on it became a
   * symlink or a file), or the file gained a hard link, or the platform cannot delete through
   * directory handles: nothing was deleted.
   */
  REFUSED,
  /** The delete failed (e.g. no permission on the directory): the file stays. */
  FAILED
}
