package io.uploadstream.upload;

import io.uploadstream.contract.ErrorCode;

/**
 * A {@link FileOpener} refused a file with {@code PATH_NOT_ALLOWED}: reading it would leave the
 * allowed roots (a path component became a symlink, the file gained a hard link).
 */
public final class PathNotAllowedException extends FileRefusedException {
  private static final long serialVersionUID = 1L;

  public PathNotAllowedException(String file, String reason) {
    super(file, ErrorCode.PATH_NOT_ALLOWED, reason);
  }
}
