package io.uploadstream.upload;

import io.uploadstream.contract.ErrorCode;
import java.nio.file.FileSystemException;
import java.util.Objects;

/**
 * A {@link FileOpener} refused a file: what it found on opening is not what may be read. The code
 * is the result's ({@code NOT_A_REGULAR_FILE}, {@code FILE_TOO_LARGE}, {@code FILE_CHANGED}...);
 * the reason says what was found, never naming a path outside the allowed roots.
 */
public class FileRefusedException extends FileSystemException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  public FileRefusedException(String file, ErrorCode code, String reason) {
    super(file, null, reason);
    this.code = Objects.requireNonNull(code, "code");
  }

  public ErrorCode code() {
    return code;
  }
}
