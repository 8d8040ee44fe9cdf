package io.uploadstream.dev;

import picocli.CommandLine;

/** Adds the embedded stack's commands to the CLI (called reflectively when present). */
public final class DevCommands {
  private DevCommands() {}

  public static void register(CommandLine cli) {
    cli.addSubcommand("dev", new DevCommand());
  }
}
