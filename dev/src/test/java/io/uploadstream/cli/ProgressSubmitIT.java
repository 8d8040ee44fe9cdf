package io.uploadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.dev.FaultInjectingProxy;
import io.uploadstream.testing.Names;
import io.uploadstream.testing.PipelineFixture;
import io.uploadstream.testing.SharedStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code submit --wait} against a real processor that sends progress events. */
class ProgressSubmitIT {
  private static final long MIB = 1024 * 1024;

  @TempDir Path files;
  private PipelineFixture pipeline;

  @AfterEach
  void close() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void submitWait_notOnATerminal_printsPlainProgressLines_thenTheResult() throws Exception {
    String progressTopic = Names.unique("progress");
    SharedStack.get().kafka().createTopics(List.of(new NewTopic(progressTopic, 1, (short) 1)));
    try (FaultInjectingProxy store = FaultInjectingProxy.start(SharedStack.get().s3().endpoint())) {
      // Parts take over a second, so progress past 0% is sent before the upload ends.
      store.rule(
          request ->
              request.isUploadPart()
                  ? FaultInjectingProxy.Action.stall(Duration.ofMillis(1200))
                  : FaultInjectingProxy.Action.forward());
      pipeline =
          PipelineFixture.onSharedStack(files, 1)
              .set("topics.progress", progressTopic)
              .set("upload.part-size", "5MiB")
              .set("s3.endpoint", store.endpoint().toString());
      pipeline.startProcessor("submit-progress");
      Path file = files.resolve("big.bin");
      byte[] bytes = new byte[(int) (30 * MIB)];
      new Random(7).nextBytes(bytes);
      Files.write(file, bytes);

      CommandRun run =
          CommandRun.of(
              "submit",
              file.toString(),
              "--prefix",
              "tmp",
              "--wait",
              "--timeout",
              "2m",
              "--bootstrap-servers",
              SharedStack.get().kafka().bootstrapServers(),
              "--set",
              "topics.requests=" + pipeline.requests,
              "--set",
              "topics.results=" + pipeline.results,
              "--set",
              "topics.progress=" + progressTopic);

      assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
      List<String> lines = run.outLines();
      List<String> progress =
          lines.stream().filter(line -> line.matches(".*: \\d+% \\(.*")).toList();
      assertThat(progress).first().asString().startsWith(file + ": 0% (0 B of 30.0 MiB, ");
      assertThat(progress).hasSizeBetween(2, 11); // at most one line per 10%
      assertThat(progress.get(1))
          .matches(".*: [1-9]\\d*% \\(\\d.* of 30.0 MiB, \\d+\\.\\d MB/s\\)");
      assertThat(lines).last().asString().startsWith(file + ": SUCCEEDED tmp/");
      assertThat(lines).hasSize(progress.size() + 1);
      assertThat(run.out()).doesNotContain("\u001B[");
    }
  }
}
