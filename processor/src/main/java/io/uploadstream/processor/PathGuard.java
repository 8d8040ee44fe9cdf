package io.uploadstream.processor;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.upload.FileOpener;
import io.uploadstream.upload.FileStatus;
import io.uploadstream.upload.OpenFileStatus;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;

/**
 * Decides whether a request's file may be uploaded, and opens only the file it cleared. The path
 * must be absolute (else the request is invalid) and lie under an allowed root, judged first on its
 * text and then, inside the roots, on every symlink it passes ({@link AllowedRoots}): nothing
 * outside the roots is ever looked at, so a missing and an existing file outside answer alike. The
 * file must be a regular file (not a device, FIFO, socket or directory) with one name (a hard link
 * can give a file outside the roots a name inside) and within the size limit.
 *
 * <p>The check names a file by its identity (device and inode): {@link #opener} opens that file and
 * no other, verifying it on the open file every time the uploader opens it ({@link CheckedOpener}).
 */
final class PathGuard {
  /** How long an open may take: a FIFO swapped in blocks it until a writer comes. */
  static final Duration OPEN_DEADLINE = Duration.ofSeconds(1);

  /** A file cleared for upload: its real path, its root, its identity and size at the check. */
  record AllowedFile(
      Path realPath, Path root, Object fileKey, long sizeBytes, FileTime lastModified) {}

  /** Why a file may not be uploaded, as the error code and message of a FAILED result. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    Refused(ErrorCode code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    ErrorCode code() {
      return code;
    }
  }

  private final AllowedRoots roots;
  private final long maxFileSizeBytes;
  private final OpenDeadline deadline;
  private final boolean openFileStatus;

  /** {@code allowedRoots} must exist; they are resolved to real paths once, here. */
  PathGuard(List<Path> allowedRoots, long maxFileSizeBytes) {
    this(allowedRoots, maxFileSizeBytes, OPEN_DEADLINE, OpenFileStatus.available());
  }

  /**
   * @param openFileStatus whether opened files are verified by their own status ({@link
   *     OpenFileStatus}); false: by the status of their name before and after the open
   */
  PathGuard(
      List<Path> allowedRoots,
      long maxFileSizeBytes,
      Duration openDeadline,
      boolean openFileStatus) {
    this.roots = new AllowedRoots(allowedRoots);
    this.maxFileSizeBytes = maxFileSizeBytes;
    this.deadline = new OpenDeadline(openDeadline);
    this.openFileStatus = openFileStatus && OpenFileStatus.available();
  }

  AllowedFile check(String filePath) throws Refused {
    Path requested = parse(filePath);
    AllowedRoots.Located located =
        roots
            .locate(requested.normalize())
            .orElseThrow(
                () ->
                    new Refused(
                        ErrorCode.PATH_NOT_ALLOWED,
                        "'" + filePath + "' is outside the allowed roots"));
    AllowedRoots.Resolved resolved = roots.resolve(located, filePath);
    if (!resolved.attributes().isRegularFile()) {
      throw new Refused(ErrorCode.NOT_A_REGULAR_FILE, "'" + filePath + "' is not a regular file");
    }
    FileStatus status = FileStatus.of(resolved.attributes(), linkCount(resolved.realPath()));
    if (status.sizeBytes() > maxFileSizeBytes) {
      throw new Refused(
          ErrorCode.FILE_TOO_LARGE,
          "'"
              + filePath
              + "' has "
              + status.sizeBytes()
              + " bytes, the limit is "
              + maxFileSizeBytes);
    }
    if (status.linkCount() > 1) {
      // A hard link inside a root can name a file outside it; its path cannot tell.
      throw new Refused(
          ErrorCode.PATH_NOT_ALLOWED, "'" + filePath + "' has several hard links: refused");
    }
    return new AllowedFile(
        resolved.realPath(),
        resolved.root(),
        status.fileKey(),
        status.sizeBytes(),
        status.lastModified());
  }

  /**
   * Opens {@code file}, and only it, each time the uploader asks: from its root down without
   * following a symlink, within {@link #OPEN_DEADLINE}, verified on the open file (still that
   * inode, a regular file with one name, within the limit).
   */
  FileOpener opener(AllowedFile file) {
    return new CheckedOpener(file, maxFileSizeBytes, deadline, openFileStatus);
  }

  /** A path the processor's file system cannot read as an absolute path is an invalid request. */
  private static Path parse(String filePath) throws Refused {
    if (filePath.indexOf('\0') >= 0) {
      throw new Refused(ErrorCode.INVALID_REQUEST, "the file path contains a NUL character");
    }
    Path path;
    try {
      path = Path.of(filePath);
    } catch (InvalidPathException e) {
      throw new Refused(ErrorCode.INVALID_REQUEST, "not a valid path: " + e.getReason());
    }
    if (!path.isAbsolute()) {
      throw new Refused(ErrorCode.INVALID_REQUEST, "'" + filePath + "' is not an absolute path");
    }
    return path;
  }

  private static int linkCount(Path realPath) throws Refused {
    try {
      return CheckedOpener.linkCount(realPath);
    } catch (IOException e) {
      throw new Refused(ErrorCode.FILE_NOT_READABLE, "cannot read '" + realPath + "': " + e);
    }
  }
}
