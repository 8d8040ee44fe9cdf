package io.uploadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
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

  @Test
  void submitsHelp_listsEveryObjectOption_andTheDelete() {
    CommandRun run = CommandRun.of("submit", "--help");

    assertThat(run.out())
        .contains(
            "--cache-control",
            "--content-disposition",
            "--attachment",
            "--storage-class",
            "--tag",
            "--delete-after-upload",
            "allowed-storage-classes",
            "allow-delete=true");
  }

  @Test
  void devsHelp_offersSettingsForItsProcessor() {
    assertThat(CommandRun.of("dev", "--help").out()).contains("--set", "UPLOAD_STREAM_");
  }
}
