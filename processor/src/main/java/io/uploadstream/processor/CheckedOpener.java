package io.uploadstream.processor;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.processor.PathGuard.AllowedFile;
import io.uploadstream.upload.FileOpener;
import io.uploadstream.upload.FileRefusedException;
import io.uploadstream.upload.FileStatus;
import io.uploadstream.upload.OpenFileStatus;
import io.uploadstream.upload.PathNotAllowedException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Set;

/**
 * Opens the file a {@link PathGuard} check cleared, and only that file, every time the uploader
 * asks (first open, after cancelled parts, each attempt through a store outage). The path is walked
 * from the root one directory handle at a time without following a symlink, on a thread of {@link
 * OpenDeadline} (a FIFO swapped in would block the open forever). The open file is then verified on
 * its own status ({@link OpenFileStatus}): a regular file, one name, within the size limit, and the
 * very inode that was checked. Where the open file's status cannot be read, the name's status is
 * read through the same directory handle before and after the open instead: a file swapped in and
 * back again while it was being opened is what that cannot see.
 *
 * <p>A file replaced by another one since the check fails {@code FILE_CHANGED} (retryable: the next
 * delivery checks the new file afresh); one that gained a hard link {@code PATH_NOT_ALLOWED}; one
 * over the limit {@code FILE_TOO_LARGE}; anything but a regular file {@code NOT_A_REGULAR_FILE}.
 */
final class CheckedOpener implements FileOpener {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private final AllowedFile allowed;
  private final long maxFileSizeBytes;
  private final OpenDeadline deadline;
  private final boolean openFileStatus;

  CheckedOpener(
      AllowedFile allowed, long maxFileSizeBytes, OpenDeadline deadline, boolean openFileStatus) {
    this.allowed = allowed;
    this.maxFileSizeBytes = maxFileSizeBytes;
    this.deadline = deadline;
    this.openFileStatus = openFileStatus;
  }

  @Override
  public FileChannel open(Path file) throws IOException {
    if (!file.equals(allowed.realPath())) {
      throw new PathNotAllowedException(file.toString(), "not the file that was checked");
    }
    return deadline.open(file, this::openBelowRoot);
  }

  /** Runs on a thread of the deadline; {@code attempt} learns where each open(2) may block. */
  private FileChannel openBelowRoot(OpenAttempt attempt) throws IOException {
    try (DirectoryStream<Path> rootDirectory = Files.newDirectoryStream(allowed.root())) {
      if (rootDirectory instanceof SecureDirectoryStream<Path> root) {
        return openThrough(root, attempt);
      }
      return openByPath(attempt); // a platform without openat
    } catch (FileRefusedException | NoSuchFileException | AccessDeniedException e) {
      throw e;
    } catch (FileSystemException e) { // ELOOP (now a symlink), ENOTDIR (now not a directory)
      throw pathChanged(e.getReason());
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("symbolic link")) { // ELOOP on the file itself
        throw pathChanged(e.getMessage());
      }
      throw e;
    }
  }

  /** One directory handle at a time from the root, none following a symlink, then the file. */
  private FileChannel openThrough(SecureDirectoryStream<Path> root, OpenAttempt attempt)
      throws IOException {
    DirectoryWalk.Step tracked =
        (parent, name, realDirectory) ->
            attempt.during(
                parent, name, realDirectory, () -> parent.newDirectoryStream(name, NOFOLLOW));
    return DirectoryWalk.to(
        root,
        allowed,
        tracked,
        (parent, name) ->
            openVerified(
                () -> statusThrough(parent, name),
                () ->
                    (FileChannel)
                        parent.newByteChannel(name, Set.of(StandardOpenOption.READ, NOFOLLOW)),
                open -> attempt.during(parent, name, allowed.realPath(), open)));
  }

  private PathNotAllowedException pathChanged(String reason) {
    return new PathNotAllowedException(
        allowed.realPath().toString(), "the path changed since it was checked: " + reason);
  }

  /** Without directory handles: the last name is opened without following it, then re-checked. */
  private FileChannel openByPath(OpenAttempt attempt) throws IOException {
    Path real = allowed.realPath();
    FileChannel channel =
        openVerified(
            () ->
                FileStatus.of(
                    Files.readAttributes(real, BasicFileAttributes.class, NOFOLLOW),
                    linkCount(real)),
            () -> FileChannel.open(real, StandardOpenOption.READ, NOFOLLOW),
            open -> attempt.during(null, real.getFileName(), real, open));
    if (!real.toRealPath().equals(real)) {
      channel.close();
      throw pathChanged("a directory became a symbolic link");
    }
    return channel;
  }

  /**
   * Opens through {@code blocking} and verifies the open file's status, or, where that cannot be
   * read, the name's status before and after the open (a FIFO is then refused before it is opened).
   */
  private FileChannel openVerified(
      OpenDeadline.Open<FileStatus> nameStatus,
      OpenDeadline.Open<FileChannel> open,
      Blocking blocking)
      throws IOException {
    if (!openFileStatus) {
      verify(nameStatus.run());
    }
    FileChannel channel = blocking.during(open);
    try {
      verify(openFileStatus ? OpenFileStatus.of(channel).orElseThrow() : nameStatus.run());
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Runs an open that may block, telling the attempt where. */
  @FunctionalInterface
  private interface Blocking {
    FileChannel during(OpenDeadline.Open<FileChannel> open) throws IOException;
  }

  private void verify(FileStatus status) throws FileRefusedException {
    String file = allowed.realPath().toString();
    if (!status.regularFile()) {
      throw new FileRefusedException(
          file, ErrorCode.NOT_A_REGULAR_FILE, "it is no longer a regular file");
    }
    if (status.linkCount() > 1) {
      throw new PathNotAllowedException(
          file, "it has " + status.linkCount() + " hard links now: another may lie outside");
    }
    if (status.sizeBytes() > maxFileSizeBytes) {
      throw new FileRefusedException(
          file,
          ErrorCode.FILE_TOO_LARGE,
          "it has " + status.sizeBytes() + " bytes now, the limit is " + maxFileSizeBytes);
    }
    if (status.linkCount() == 0 || !Objects.equals(status.fileKey(), allowed.fileKey())) {
      throw new FileRefusedException(
          file, ErrorCode.FILE_CHANGED, "it was replaced or deleted since it was checked");
    }
    // A new file can get the inode number of a deleted one: size and time must match as well.
    if (status.sizeBytes() != allowed.sizeBytes()
        || !status.lastModified().equals(allowed.lastModified())) {
      throw new FileRefusedException(
          file, ErrorCode.FILE_CHANGED, "it was rewritten or replaced since it was checked");
    }
  }

  /** The name's status, read through its directory handle (lstat), and its link count. */
  private FileStatus statusThrough(SecureDirectoryStream<Path> directory, Path name)
      throws IOException {
    BasicFileAttributes attributes =
        directory
            .getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW)
            .readAttributes();
    return FileStatus.of(attributes, linkCount(allowed.realPath()));
  }

  /** The number of names of a file under a root; -1 where the file system does not count them. */
  static int linkCount(Path realPath) throws IOException {
    try {
      return (Integer) Files.getAttribute(realPath, "unix:nlink", NOFOLLOW);
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return -1; // not a Unix file system: no hard-link count to judge
    }
  }
}
