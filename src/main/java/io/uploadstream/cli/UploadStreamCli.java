package io.uploadstream.cli;

import io.uploadstream.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code upload-stream}: one executable, one subcommand per job. The embedded stack's commands
 * ({@code dev}, {@code demo}) are added when their classes are on the class path, which they are in
 * the default build and not in the production image.
 */
@Command(
    name = "upload-stream",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Kafka-driven upload stream processor: upload requests in, S3 objects out.",
    subcommands = {
      RunCommand.class,
      SubmitCommand.class,
      ResultsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class UploadStreamCli {
  private static final String EMBEDDED_COMMANDS = "io.uploadstream.dev.DevCommands";

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The full command tree; tests execute it without exiting the JVM. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new UploadStreamCli());
    addEmbeddedCommands(cli);
    cli.setExecutionExceptionHandler(UploadStreamCli::reportFailure);
    return cli;
  }

  /** Configuration errors are the user's to fix: one line, no stack trace, exit 2. */
  private static int reportFailure(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    if (e instanceof ConfigException) {
      cli.getErr().println("upload-stream: configuration error: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    cli.getErr().println("upload-stream: " + e);
    e.printStackTrace(cli.getErr());
    return ExitCodes.FAILED;
  }

  private static void addEmbeddedCommands(CommandLine cli) {
    Class<?> commands;
    try {
      commands = Class.forName(EMBEDDED_COMMANDS);
    } catch (ClassNotFoundException e) {
      return; // production build: no embedded broker or S3 server inside
    }
    try {
      commands.getMethod("register", CommandLine.class).invoke(null, cli);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot register the embedded stack's commands", e);
    }
  }
}
