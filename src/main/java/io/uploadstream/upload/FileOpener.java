package io.uploadstream.upload;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens the file of an upload for reading, every time the uploader (re)opens it. The processor's
 * opener checks again, on the file actually opened, that it lies under an allowed root — a check
 * done once before the upload could be raced by swapping a path component for a symlink.
 */
@FunctionalInterface
public interface FileOpener {
  /** Opens without any check: for callers that trust the path (tests, the benchmark). */
  FileOpener PLAIN = file -> FileChannel.open(file, StandardOpenOption.READ);

  /**
   * @throws PathNotAllowedException when the file may not be read (it escaped the allowed roots)
   * @throws java.nio.file.NoSuchFileException when it is gone
   * @throws java.nio.file.AccessDeniedException when it cannot be read
   */
  FileChannel open(Path file) throws IOException;
}
