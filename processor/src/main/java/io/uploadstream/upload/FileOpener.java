package io.uploadstream.upload;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens the file of an upload for reading, every time the uploader (re)opens it: first, after
 * cancelled parts, on each attempt through a store outage. The processor's opener is bound to the
 * file its path check cleared and verifies, on the file actually opened, that it is that very file
 * (same device and inode), still a regular file with one name and within the size limit — a check
 * done once before the upload could be raced by swapping the file or a path component.
 */
@FunctionalInterface
public interface FileOpener {
  /** Opens without any check: for callers that trust the path (tests, the benchmark). */
  FileOpener PLAIN = file -> FileChannel.open(file, StandardOpenOption.READ);

  /**
   * Opens {@code file} for reading.
   *
   * @throws FileRefusedException when the file opened may not be read, with the result's code
   *     ({@link PathNotAllowedException} when reading it would leave the allowed roots)
   * @throws java.nio.file.NoSuchFileException when it is gone
   * @throws java.nio.file.AccessDeniedException when it cannot be read
   * @throws java.nio.channels.ClosedByInterruptException when the thread was interrupted
   */
  FileChannel open(Path file) throws IOException;
}
