package io.uploadstream.upload;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file being uploaded, opened once. Parts read by position, so any number of threads may read
 * at once; the size and modification time taken at open are checked again by {@link
 * #verifyUnchanged()}. Both are the open file's own ({@link OpenFileStatus}): a path swapped for
 * another file neither hides a change of the file being read nor fakes one; where the open file's
 * status cannot be read, the modification time comes from the path. Every open, the first and each
 * {@link #reopen()}, goes through the upload's {@link FileOpener}, which may refuse the file.
 */
final class SourceFile implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(SourceFile.class);

  /**
   * Reads go to the channel in windows of this size: a read into a heap array goes through a
   * per-thread temporary direct buffer as large as the read, which the JDK then caches; a whole
   * part per read would pin 8 MiB of direct memory in every part thread.
   */
  private static final int READ_WINDOW_BYTES = 256 * 1024;

  private final Path path;
  private final FileOpener opener;
  private final FileChannel channel;
  private final long sizeBytes;
  private final FileTime lastModified;

  private SourceFile(
      Path path, FileOpener opener, FileChannel channel, long sizeBytes, FileTime lastModified) {
    this.path = path;
    this.opener = opener;
    this.channel = channel;
    this.sizeBytes = sizeBytes;
    this.lastModified = lastModified;
  }

  /**
   * Opens {@code path} for reading through {@code opener}; throws NoSuchFileException,
   * AccessDeniedException or {@link FileRefusedException}.
   */
  static SourceFile open(Path path, FileOpener opener) throws IOException {
    FileChannel channel = opener.open(path);
    try {
      FileStatus status = status(path, channel);
      return new SourceFile(path, opener, channel, status.sizeBytes(), status.lastModified());
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * The same file opened again, still checked against the size and modification time taken when it
   * was first opened. A part thread interrupted in the middle of a read closes the shared channel
   * for every reader, so an upload that starts over after cancelled parts reads through a new one.
   */
  SourceFile reopen() throws IOException {
    SourceFile again = new SourceFile(path, opener, opener.open(path), sizeBytes, lastModified);
    try {
      again.verifyUnchanged();
      return again;
    } catch (IOException | RuntimeException e) {
      again.close();
      throw e;
    }
  }

  long sizeBytes() {
    return sizeBytes;
  }

  /** Fills {@code target[0, lengthBytes)} from {@code position}; a short file means it changed. */
  void read(byte[] target, long position, int lengthBytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(target, 0, lengthBytes);
    while (buffer.position() < lengthBytes) {
      int windowEnd = Math.min(lengthBytes, buffer.position() + READ_WINDOW_BYTES);
      buffer.limit(windowEnd);
      int read = channel.read(buffer, position + buffer.position());
      if (read < 0) {
        throw new FileChangedException(
            path, "it ended at byte " + (position + buffer.position()) + ", expected " + sizeBytes);
      }
    }
  }

  /**
   * Reads at least one and at most {@code min(lengthBytes, 256 KiB)} bytes from {@code position}
   * into {@code target[offset...]}, and returns how many; the file ending there means it changed.
   */
  int readSome(byte[] target, int offset, int lengthBytes, long position) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(target, offset, Math.min(lengthBytes, READ_WINDOW_BYTES));
    int read = 0;
    while (read == 0 && buffer.hasRemaining()) {
      read = channel.read(buffer, position);
    }
    if (read < 0) {
      throw new FileChangedException(
          path, "it ended at byte " + position + ", expected " + sizeBytes);
    }
    return read;
  }

  /** Throws if the size or modification time differs from when the file was opened. */
  void verifyUnchanged() throws IOException {
    FileStatus now = status(path, channel);
    if (now.sizeBytes() != sizeBytes) {
      throw new FileChangedException(path, "size " + sizeBytes + " became " + now.sizeBytes());
    }
    if (!now.lastModified().equals(lastModified)) {
      throw new FileChangedException(
          path, "modification time " + lastModified + " became " + now.lastModified());
    }
  }

  /** The open file's size and modification time; the path's time where that cannot be read. */
  private static FileStatus status(Path path, FileChannel channel) throws IOException {
    try {
      Optional<FileStatus> open = OpenFileStatus.of(channel);
      if (open.isPresent()) {
        return open.get();
      }
    } catch (ClosedChannelException e) {
      // a cancelled part's interrupt closed the shared channel: the path still says whether the
      // file changed, which decides the error reported (the upload has failed either way)
    }
    try {
      long size = channel.isOpen() ? channel.size() : Files.size(path);
      return new FileStatus(null, true, -1, size, Files.getLastModifiedTime(path));
    } catch (NoSuchFileException e) {
      throw new FileChangedException(path, "it was deleted or renamed");
    }
  }

  /** Closes the channel; a failure is logged, not thrown, since every byte was already read. */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      log.warn("could not close {}", path, e);
    }
  }
}
