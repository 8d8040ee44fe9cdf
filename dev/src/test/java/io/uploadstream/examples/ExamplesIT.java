package io.uploadstream.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uploadstream.dev.DevStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's examples for other stacks, run against a real dev stack (broker, S3 server,
 * processor): skipped where their tool is not installed ({@code apt-get install kcat}, {@code pip
 * install confluent-kafka}).
 */
class ExamplesIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static Path files;
  private static DevStack stack;

  @BeforeAll
  static void devStack() throws Exception {
    files = Files.createDirectories(dir.resolve("files"));
    stack =
        DevStack.start(
            new DevStack.Options(dir.resolve("data"), 0, 0, 0, 0, List.of(files), 2, Map.of()));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void kcatExample_publishesARequest_andPrintsItsResult() throws Exception {
    assumeTrue(Command.exists("kcat"), "kcat is not installed");
    Path file = Files.writeString(files.resolve("from \"kcat\".txt"), "hello from the shell");

    Command.Run run = runExample("bash", ExamplesTest.KCAT_EXAMPLE.toString(), file.toString());

    assertThat(run.exitCode()).as(run.output()).isZero();
    JsonNode result = JSON.readTree(run.stdout());
    assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(result.get("filePath").asText()).isEqualTo(file.toString());
    assertThat(result.get("prefix").asText()).isEqualTo("shell");
    assertThat(result.get("cdnUrl").asText()).startsWith(stack.cdnBaseUrl());
  }

  @Test
  void kcatExample_exitsOne_withTheFailedResult() throws Exception {
    assumeTrue(Command.exists("kcat"), "kcat is not installed");
    Path outside = Files.writeString(dir.resolve("outside.txt"), "not under the allowed root");

    Command.Run run = runExample("bash", ExamplesTest.KCAT_EXAMPLE.toString(), outside.toString());

    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(JSON.readTree(run.stdout()).at("/error/code").asText())
        .isEqualTo("PATH_NOT_ALLOWED");
  }

  @Test
  void pythonExample_publishesARequest_andPrintsItsResult() throws Exception {
    assumeTrue(Command.exists("python3"), "python3 is not installed");
    Command.Run probe = Command.run(List.of("python3", "-c", "import confluent_kafka"), Map.of());
    assumeTrue(probe.exitCode() == 0, "confluent-kafka is not installed for python3");
    Path file = Files.writeString(files.resolve("from-python.txt"), "hello from python");

    Command.Run run =
        runExample("python3", ExamplesTest.PYTHON_EXAMPLE.toString(), file.toString());

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(JSON.readTree(run.stdout()).get("filePath").asText()).isEqualTo(file.toString());
  }

  private static Command.Run runExample(String interpreter, String example, String file)
      throws Exception {
    return Command.run(
        List.of(interpreter, example, file, "shell"),
        Map.of("BOOTSTRAP", stack.bootstrapServers(), "TIMEOUT", "60"));
  }
}
