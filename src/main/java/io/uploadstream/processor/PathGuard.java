package io.uploadstream.processor;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.upload.FileOpener;
import io.uploadstream.upload.PathNotAllowedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a request's file may be uploaded: judged on its real path (every symlink
 * resolved), it must lie under an allowed root, be a regular file (not a device, FIFO, socket or
 * directory), be readable and not exceed the size limit. Nothing is read from a refused file.
 */
final class PathGuard {

  /** A file cleared for upload: its real path and size at the time of the check. */
  record AllowedFile(Path realPath, long sizeBytes) {}

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

  private final List<Path> realRoots;
  private final long maxFileSizeBytes;

  /** {@code allowedRoots} must exist; they are resolved to real paths once, here. */
  PathGuard(List<Path> allowedRoots, long maxFileSizeBytes) {
    this.realRoots = allowedRoots.stream().map(PathGuard::realRoot).toList();
    this.maxFileSizeBytes = maxFileSizeBytes;
  }

  AllowedFile check(String filePath) throws Refused {
    Path requested = parse(filePath);
    Path real = realPath(requested, filePath);
    if (realRoots.stream().noneMatch(real::startsWith)) {
      throw new Refused(
          ErrorCode.PATH_NOT_ALLOWED, "'" + filePath + "' is outside the allowed roots");
    }
    BasicFileAttributes attributes = attributes(real, filePath);
    if (!attributes.isRegularFile()) {
      throw new Refused(ErrorCode.NOT_A_REGULAR_FILE, "'" + filePath + "' is not a regular file");
    }
    if (attributes.size() > maxFileSizeBytes) {
      throw new Refused(
          ErrorCode.FILE_TOO_LARGE,
          "'"
              + filePath
              + "' has "
              + attributes.size()
              + " bytes, the limit is "
              + maxFileSizeBytes);
    }
    if (!Files.isReadable(real)) {
      throw new Refused(ErrorCode.FILE_NOT_READABLE, "'" + filePath + "' is not readable");
    }
    if (linkCount(real) > 1) {
      // A hard link inside a root can name a file outside it; its path cannot tell.
      throw new Refused(
          ErrorCode.PATH_NOT_ALLOWED, "'" + filePath + "' has several hard links: refused");
    }
    return new AllowedFile(real, attributes.size());
  }

  /**
   * Opens a file {@link #check} allowed, again and safely (the uploader's {@link FileOpener}): from
   * its root down, one directory at a time, never following a symlink — so a path component swapped
   * for a symlink between the check and this open cannot lead outside the root.
   */
  FileChannel open(Path realPath) throws IOException {
    Path root =
        realRoots.stream()
            .filter(realPath::startsWith)
            .findFirst()
            .orElseThrow(
                () -> new PathNotAllowedException(realPath.toString(), "outside the roots"));
    Path relative = root.relativize(realPath);
    if (relative.getNameCount() == 0 || relative.toString().isEmpty()) {
      throw new PathNotAllowedException(realPath.toString(), "not a file under a root");
    }
    try (DirectoryStream<Path> rootDirectory = Files.newDirectoryStream(root)) {
      if (rootDirectory instanceof SecureDirectoryStream<Path> secure) {
        return openBelow(secure, relative, realPath);
      }
    }
    return openAndRecheck(realPath, root);
  }

  private static FileChannel openBelow(
      SecureDirectoryStream<Path> directory, Path relative, Path realPath) throws IOException {
    SecureDirectoryStream<Path> current = directory;
    try {
      for (int i = 0; i < relative.getNameCount() - 1; i++) {
        SecureDirectoryStream<Path> next =
            current.newDirectoryStream(relative.getName(i), LinkOption.NOFOLLOW_LINKS);
        if (current != directory) {
          current.close();
        }
        current = next;
      }
      SeekableByteChannel channel =
          current.newByteChannel(
              relative.getFileName(), Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
      if (channel instanceof FileChannel file) {
        return file;
      }
      channel.close();
      throw new IOException("no positional reads on this platform for " + realPath);
    } catch (NoSuchFileException | AccessDeniedException e) {
      throw e;
    } catch (FileSystemException e) {
      throw new PathNotAllowedException(realPath.toString(), "the path changed: " + e.getReason());
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("symbolic link")) { // ELOOP: a link now
        throw new PathNotAllowedException(
            realPath.toString(), "the path changed: " + e.getMessage());
      }
      throw e;
    } finally {
      if (current != directory) {
        current.close();
      }
    }
  }

  /** Where the platform has no openat: open without following the last link, then re-check. */
  private static FileChannel openAndRecheck(Path realPath, Path root) throws IOException {
    FileChannel channel =
        FileChannel.open(realPath, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    if (!realPath.toRealPath().startsWith(root)) {
      channel.close();
      throw new PathNotAllowedException(realPath.toString(), "the path left its root");
    }
    return channel;
  }

  private static int linkCount(Path real) throws Refused {
    try {
      return (Integer) Files.getAttribute(real, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return 1; // not a Unix file system: no hard-link count to judge
    } catch (IOException e) {
      throw new Refused(ErrorCode.FILE_NOT_READABLE, "cannot read '" + real + "': " + e);
    }
  }

  private static Path parse(String filePath) throws Refused {
    if (filePath.indexOf('\0') >= 0) {
      throw new Refused(ErrorCode.PATH_NOT_ALLOWED, "the file path contains a NUL character");
    }
    Path path;
    try {
      path = Path.of(filePath);
    } catch (InvalidPathException e) {
      throw new Refused(ErrorCode.PATH_NOT_ALLOWED, "not a valid path: " + e.getReason());
    }
    if (!path.isAbsolute()) {
      throw new Refused(ErrorCode.PATH_NOT_ALLOWED, "'" + filePath + "' is not an absolute path");
    }
    return path;
  }

  private static Path realPath(Path requested, String filePath) throws Refused {
    try {
      return requested.toRealPath();
    } catch (NoSuchFileException e) {
      throw new Refused(ErrorCode.FILE_NOT_FOUND, "no file at '" + filePath + "'");
    } catch (AccessDeniedException e) {
      throw new Refused(ErrorCode.FILE_NOT_READABLE, "cannot access '" + filePath + "'");
    } catch (IOException e) {
      throw new Refused(ErrorCode.FILE_NOT_FOUND, "cannot resolve '" + filePath + "': " + e);
    }
  }

  private static BasicFileAttributes attributes(Path real, String filePath) throws Refused {
    try {
      return Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw new Refused(ErrorCode.FILE_NOT_FOUND, "no file at '" + filePath + "'");
    } catch (IOException e) {
      throw new Refused(ErrorCode.FILE_NOT_READABLE, "cannot read '" + filePath + "': " + e);
    }
  }

  private static Path realRoot(Path root) {
    try {
      return root.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("allowed root " + root + " cannot be resolved", e);
    }
  }
}
