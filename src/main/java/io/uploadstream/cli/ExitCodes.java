package io.uploadstream.cli;

/** Exit codes of every command. */
final class ExitCodes {
  static final int OK = 0;

  /** The work failed: a FAILED result, or the processor stopped on a fatal error. */
  static final int FAILED = 1;

  /** Bad command line or configuration: nothing was done. */
  static final int USAGE = 2;

  private ExitCodes() {}
}
