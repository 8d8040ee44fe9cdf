package io.uploadstream.cli;

/** Exit codes of every command, and the lines their {@code --help} shows. */
final class ExitCodes {
  static final int OK = 0;

  /** The work failed: a FAILED result, no result in time, Kafka unreachable, a fatal error. */
  static final int FAILED = 1;

  /** Bad command line, input or configuration: nothing was done. */
  static final int USAGE = 2;

  static final String HEADING = "%nExit status:%n";
  static final String USAGE_LINE = "2:bad usage or invalid settings: nothing was done";
  static final String UNREACHABLE = "Kafka could not be reached (client.connect-timeout)";

  private ExitCodes() {}
}
