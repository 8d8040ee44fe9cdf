package io.uploadstream.contract;

/** Why an upload request failed; carried in {@link UploadResult.UploadError#code()}. */
public enum ErrorCode {
  /**
   * The request is well-formed JSON but cannot be served as asked (bad prefix, key too long, a
   * relative file path).
   */
  INVALID_REQUEST,
  /** No file at {@code filePath}, inside the allowed roots (outside them: PATH_NOT_ALLOWED). */
  FILE_NOT_FOUND,
  /** The path names a directory, device, FIFO or socket rather than a regular file. */
  NOT_A_REGULAR_FILE,
  /**
   * The path lies outside every allowed root (judged on its text, whether or not a file is there),
   * leads outside through a symlink, or the file has more than one hard link.
   */
  PATH_NOT_ALLOWED,
  /** The file is larger than the configured limit. */
  FILE_TOO_LARGE,
  /** The file exists but the processor may not read it. */
  FILE_NOT_READABLE,
  /**
   * The open file's size or modification time changed while it was being uploaded, or the file was
   * replaced by another one since it was checked.
   */
  FILE_CHANGED,
  /** The object store refused or failed the upload. */
  STORAGE_ERROR,
  /**
   * The request's key holds (or was just completed with) another request's object, which is never
   * overwritten; with {@code upload.on-key-conflict=rename} its renamed key is taken too. Not
   * retryable: the same request maps to the same keys.
   */
  KEY_CONFLICT,
  /**
   * The processor failed in a way it did not foresee (a bug). The request is answered rather than
   * retried forever; sending it again may succeed.
   */
  INTERNAL_ERROR,
  /**
   * Share consumption: the request was delivered as often as its share group allows ({@code
   * share.delivery-limit}) without an outcome (each holder crashed, gave it up at shutdown, or lost
   * its lock), so its last delivery answers instead of trying again; it is dead-lettered too. Not
   * retryable as it stands: something about it keeps a processor from finishing.
   */
  DELIVERY_LIMIT_REACHED,
  /**
   * Read side only: a code this version does not know, written by a newer processor. Processors
   * never write it (the schema does not list it); readers show the error's message instead.
   */
  UNKNOWN;

  /** Whether a processor may write this code: all but {@link #UNKNOWN}. */
  public boolean isWritten() {
    return this != UNKNOWN;
  }

  static boolean isKnown(String name) {
    for (ErrorCode code : values()) {
      if (code.name().equals(name)) {
        return true;
      }
    }
    return false;
  }
}
