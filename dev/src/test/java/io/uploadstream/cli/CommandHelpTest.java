package io.uploadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@code --help} tells a user who scripts a command. */
class CommandHelpTest {
  @ParameterizedTest(name = "{0} --help")
  @ValueSource(strings = {"run", "submit", "results", "dead-letters", "dev"})
  void everyCommandsHelp_listsItsExitCodes(String command) {
    CommandRun run = CommandRun.of(command, "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("Exit status:")
        .containsPattern("(?m)^\\s+0\\s+\\S")
        .containsPattern("(?m)^\\s+1\\s+\\S")
        .containsPattern("(?m)^\\s+2\\s+\\S");
  }
}
