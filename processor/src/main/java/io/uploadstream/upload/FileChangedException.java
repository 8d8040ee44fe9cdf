package io.uploadstream.upload;

import java.io.IOException;
import java.nio.file.Path;

/** The file's size or modification time changed while it was being uploaded. */
final class FileChangedException extends IOException {
  private final Path file;

  FileChangedException(Path file, String what) {
    super(file + " changed during upload: " + what);
    this.file = file;
  }

  Path file() {
    return file;
  }
}
