package io.uploadstream.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.cli.UploadStreamCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The one-command embedded run: a real broker, a real S3 server and a processor. */
class DevCommandIT {
  @TempDir Path dir;

  @Test
  void submitWait_againstTheDevStack_printsTheKeyAndUrl() throws Exception {
    Path files = Files.createDirectories(dir.resolve("files"));
    Path file = Files.writeString(files.resolve("hello.txt"), "hello, upload-stream");
    DevStack.Options options =
        new DevStack.Options(dir.resolve("data"), 0, 0, List.of(files), 2, Map.of());
    try (DevStack stack = DevStack.start(options)) {
      StringWriter out = new StringWriter();
      CommandLine cli = UploadStreamCli.commandLine();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(out, true));

      int exit =
          cli.execute(
              "submit",
              "--bootstrap-servers",
              stack.bootstrapServers(),
              "--prefix",
              "tmp",
              "--wait",
              "--timeout",
              "60s",
              file.toString());

      assertThat(exit).as(out.toString()).isZero();
      assertThat(out.toString())
          .contains("SUCCEEDED")
          .containsPattern("tmp/\\d{14}-hello\\.txt")
          .contains(stack.s3Endpoint() + "/" + DevStack.BUCKET + "/tmp/");
    }
  }

  @Test
  void devDemo_uploadsTheFiles_printsKeyUrlAndSpeed_andExitsZero() throws Exception {
    Path file = Files.writeString(dir.resolve("demo.txt"), "demo content ".repeat(1000));
    StringWriter out = new StringWriter();
    CommandLine cli = UploadStreamCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));

    int exit =
        cli.execute(
            "dev",
            "--data-dir",
            dir.resolve("data").toString(),
            "--kafka-port",
            "0",
            "--s3-port",
            "0",
            "--demo",
            file.toString());

    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString())
        .contains("Kafka bootstrap")
        .containsPattern("key  demo/\\d{14}-demo\\.txt")
        .contains("url  http://127.0.0.1:")
        .contains("MB/s");
  }
}
