package io.uploadstream.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.cli.UploadStreamCli;
import io.uploadstream.deploy.RepositoryFiles;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code ./upload-stream ...} command in README's code blocks (the quick start, the banner,
 * the command-line section, the examples) names a command and options that exist: picocli parses
 * each one as the launcher would pass it.
 */
class ReadmeCommandsTest {
  private static final String LAUNCHER = "./upload-stream ";

  @Test
  void everyCommandInTheReadme_parses() throws Exception {
    List<String> commands =
        commandsInCodeBlocks(Files.readString(RepositoryFiles.path("README.md")));

    assertThat(commands).hasSizeGreaterThan(10);
    for (String command : commands) {
      List<String> args = words(command.substring(LAUNCHER.length()));
      CommandLine cli = UploadStreamCli.commandLine();
      assertThat(parses(cli, args)).as(command).isNull();
    }
  }

  /** The parse error, or null. */
  private static String parses(CommandLine cli, List<String> args) {
    try {
      cli.parseArgs(args.toArray(String[]::new));
      return null;
    } catch (CommandLine.ParameterException e) {
      return e.getMessage();
    }
  }

  private static List<String> commandsInCodeBlocks(String readme) {
    List<String> commands = new ArrayList<>();
    boolean inBlock = false;
    for (String line : readme.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("```")) {
        inBlock = !inBlock;
      } else if (inBlock && trimmed.startsWith(LAUNCHER)) {
        commands.add(withoutShellTail(trimmed));
      }
    }
    return commands;
  }

  /** The command up to a pipe or a comment: what the launcher receives. */
  private static String withoutShellTail(String line) {
    int end = line.length();
    for (String tail : List.of(" | ", " # ")) {
      int at = line.indexOf(tail);
      if (at >= 0) {
        end = Math.min(end, at);
      }
    }
    return line.substring(0, end).strip();
  }

  /** Splits on blanks, keeping quoted words whole (as a shell would, without expansions). */
  private static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == ' ') {
        if (!word.isEmpty()) {
          words.add(word.toString());
          word.setLength(0);
        }
      } else {
        word.append(c);
      }
    }
    if (!word.isEmpty()) {
      words.add(word.toString());
    }
    return words;
  }
}
