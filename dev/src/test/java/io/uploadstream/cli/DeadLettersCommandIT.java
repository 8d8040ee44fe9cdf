package io.uploadstream.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uploadstream.testing.PipelineFixture;
import io.uploadstream.testing.SharedStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code upload-stream dead-letters} on the dead letters of a real processor. */
class DeadLettersCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path files;
  private PipelineFixture pipeline;

  @BeforeEach
  void deadLetters() {
    pipeline = PipelineFixture.onSharedStack(files, 1);
    pipeline.startProcessor("dead-letters-1");
    // A request pasted over two lines: each line is a record of its own, neither a request.
    pipeline.publishRaw(
        null, "{\"requestId\": \"3f1c2a9e\", \"filePath\": \"/a.png\",".getBytes(UTF_8));
    pipeline.publishRaw(null, " \"prefix\": \"tmp\"}".getBytes(UTF_8));
    pipeline.publishRaw(null, "{\"requestId\":\"r-1\",\"file_path\":\"/b\"}".getBytes(UTF_8));
    pipeline.publishRaw(null, "oops\u001B[2J".getBytes(UTF_8)); // a raw ESC: clears a terminal
    await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.deadLetters().size() == 4);
  }

  @AfterEach
  void close() {
    pipeline.close();
  }

  @Test
  void deadLetters_fromBeginning_printsSourceReasonMessageAndRecord() {
    CommandRun run = CommandRun.of(args("dead-letters", "--from-beginning"));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines())
        .hasSize(8)
        .startsWith(
            pipeline.requests
                + "-0@0 INVALID_JSON: Unexpected end-of-input within/between Object"
                + " entries (line 1, column 48)",
            "  record: {\"requestId\": \"3f1c2a9e\", \"filePath\": \"/a.png\",");
    assertThat(run.outLines().get(2)).startsWith(pipeline.requests + "-0@1 INVALID_JSON: ");
    assertThat(run.outLines().get(4))
        .isEqualTo(
            pipeline.requests
                + "-0@2 SCHEMA_VIOLATION: $: required property 'filePath' not found;"
                + " $: required property 'prefix' not found");
    assertThat(run.outLines().get(5))
        .isEqualTo("  record: {\"requestId\":\"r-1\",\"file_path\":\"/b\"}");
    assertThat(run.outLines().get(7))
        .as("control characters of the record are shown escaped")
        .isEqualTo("  record: oops\\u001b[2J");
  }

  @Test
  void deadLetters_outputJson_printsOneObjectPerDeadLetter() throws Exception {
    CommandRun run = CommandRun.of(args("dead-letters", "--from-beginning", "--output", "json"));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines()).hasSize(4);
    JsonNode violation = JSON.readTree(run.outLines().get(2));
    assertThat(violation.get("reason").asText()).isEqualTo("SCHEMA_VIOLATION");
    assertThat(violation.at("/source/topic").asText()).isEqualTo(pipeline.requests);
    assertThat(violation.at("/source/partition").asInt()).isZero();
    assertThat(violation.at("/source/offset").asLong()).isEqualTo(2);
    assertThat(violation.get("truncated").asBoolean()).isFalse();
    assertThat(violation.get("value").asText())
        .isEqualTo("{\"requestId\":\"r-1\",\"file_path\":\"/b\"}");
    assertThat(JSON.readTree(run.outLines().get(3)).get("value").asText())
        .isEqualTo("oops\u001B[2J");
  }

  @Test
  void deadLetters_withoutFromBeginning_printsNothingThatWasAlreadyThere() {
    CommandRun run = CommandRun.of(args("dead-letters"));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEmpty();
  }

  private String[] args(String... command) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(
        List.of(
            "--bootstrap-servers", SharedStack.get().kafka().bootstrapServers(),
            "--set", "topics.requests=" + pipeline.requests,
            "--set", "topics.results=" + pipeline.results,
            "--set", "topics.dead-letters=" + pipeline.deadLetters));
    return all.toArray(String[]::new);
  }
}
