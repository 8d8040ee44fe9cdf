package io.uploadstream.upload;

import java.nio.file.FileSystemException;

/** A {@link FileOpener} refused a file: reading it would leave the allowed roots. */
public final class PathNotAllowedException extends FileSystemException {
  private static final long serialVersionUID = 1L;

  public PathNotAllowedException(String file, String reason) {
    super(file, null, reason);
  }
}
