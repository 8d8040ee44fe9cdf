package io.uploadstream.cli;

import io.uploadstream.client.ConfigException;
import io.uploadstream.client.KafkaUnreachableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code upload-stream}: one executable, one subcommand per job. The embedded stack's command
 * ({@code dev}) is added when their classes are on the class path, which they are in the default
 * build and not in the production image.
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
      DeadLettersCommand.class,
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
    cli.setCaseInsensitiveEnumValuesAllowed(true); // --output json, --status failed
    cli.setExecutionExceptionHandler(UploadStreamCli::reportFailure);
    return cli;
  }

  /**
   * Errors the user can act on are one message, no stack trace: invalid settings or input (exit 2),
   * Kafka out of reach (exit 1). Anything else is a bug: its stack trace follows.
   */
  private static int reportFailure(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    if (e instanceof ConfigException) {
      cli.getErr().println("upload-stream: configuration error: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    if (e instanceof InputError) {
      cli.getErr().println("upload-stream: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    if (e instanceof KafkaUnreachableException) {
      cli.getErr().println("upload-stream: " + e.getMessage());
      return ExitCodes.FAILED;
    }
    cli.getErr().print("upload-stream: unexpected failure, please report it: ");
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
