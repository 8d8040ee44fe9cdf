package io.uploadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors: found before any Kafka client exists (the broker address leads nowhere). */
class SubmitCommandTest {
  private static final String NOWHERE = "127.0.0.1:1";

  @TempDir Path dir;

  @Test
  void fileName_withTwoFiles_isAUsageError() throws Exception {
    Path a = Files.writeString(dir.resolve("a.txt"), "a");
    Path b = Files.writeString(dir.resolve("b.txt"), "b");

    CommandRun run =
        CommandRun.of(
            "submit",
            a.toString(),
            b.toString(),
            "--prefix",
            "tmp",
            "--file-name",
            "x.txt",
            "--bootstrap-servers",
            NOWHERE);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--file-name needs exactly one FILE, got 2");
  }

  @Test
  void attachmentAndContentDisposition_together_areAUsageError() throws Exception {
    Path a = Files.writeString(dir.resolve("a.txt"), "a");

    CommandRun run =
        CommandRun.of(
            "submit",
            a.toString(),
            "--prefix",
            "tmp",
            "--attachment",
            "--content-disposition",
            "inline",
            "--bootstrap-servers",
            NOWHERE);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--attachment and --content-disposition");
  }

  @Test
  void aTagTheSchemaRefuses_isAUsageError_beforeAnythingIsPublished() throws Exception {
    Path a = Files.writeString(dir.resolve("a.txt"), "a");

    CommandRun run =
        CommandRun.of(
            "submit",
            a.toString(),
            "--prefix",
            "tmp",
            "--tag",
            "aws:owner=me",
            "--bootstrap-servers",
            NOWHERE);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("invalid upload request").contains("tags");
  }

  @Test
  void missingLocalFile_isAUsageError_namingTheFile() {
    CommandRun run =
        CommandRun.of(
            "submit",
            dir.resolve("nope.txt").toString(),
            "--prefix",
            "tmp",
            "--bootstrap-servers",
            NOWHERE);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("no such file: " + dir.resolve("nope.txt"));
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aDirectory_isAUsageError() {
    CommandRun run =
        CommandRun.of("submit", dir.toString(), "--prefix", "tmp", "--bootstrap-servers", NOWHERE);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("not a regular file: " + dir);
  }

  @Test
  void aPrefixTheProcessorWouldReject_isAUsageError() throws Exception {
    Path a = Files.writeString(dir.resolve("a.txt"), "a");

    CommandRun run =
        CommandRun.of("submit", a.toString(), "--prefix", "a/../b", "--bootstrap-servers", NOWHERE);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("invalid upload request").contains("prefix");
  }

  @Test
  void aMalformedTimeout_isAUsageError() throws Exception {
    Path a = Files.writeString(dir.resolve("a.txt"), "a");

    CommandRun run =
        CommandRun.of(
            "submit",
            a.toString(),
            "--prefix",
            "tmp",
            "--wait",
            "--timeout",
            "soon",
            "--bootstrap-servers",
            NOWHERE);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--timeout").contains("'soon'");
  }

  @Test
  void noPrefix_isAUsageError() throws Exception {
    Path a = Files.writeString(dir.resolve("a.txt"), "a");

    CommandRun run = CommandRun.of("submit", a.toString(), "--bootstrap-servers", NOWHERE);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--prefix");
  }
}
