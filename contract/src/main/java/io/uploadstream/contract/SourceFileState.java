package io.uploadstream.contract;

/**
 * What became of the source file of a request with {@code afterUpload=delete}, as far as a result
 * can say: the delete happens only after the result is committed, so a result can promise it but
 * not report it (the processor logs and counts what the delete did).
 */
public enum SourceFileState {
  /**
   * The object is stored; the processor deletes the file right after this result is committed, if
   * it is still the file that was uploaded (same identity, size and modification time) and still
   * inside an allowed root. A file replaced or changed meanwhile is kept.
   */
  DELETE_PENDING,
  /**
   * There was no file at the path any more (a redelivery after the delete): the object was found
   * stored at the request's key by this very request ({@code requestId}), and is what this result
   * describes.
   */
  GONE,
  /** The request failed: the file is left where it was. */
  KEPT
}
