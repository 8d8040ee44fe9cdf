package io.uploadstream.cli;

/**
 * The command line is well-formed but names something unusable, e.g. a file that does not exist:
 * reported in one line, exit status 2, without the usage text (which would not help).
 */
final class InputError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  InputError(String message) {
    super(message);
  }
}
