package io.uploadstream.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.cli.UploadStreamCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The one-command embedded run: a real broker, a real S3 server and a processor. */
class DevCommandIT {
  private static final Pattern URL = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/\\S+");

  @TempDir Path dir;

  @Test
  void submitWait_againstTheDevStack_printsAUrlThatServesTheFileWithoutCredentials()
      throws Exception {
    Path files = Files.createDirectories(dir.resolve("files"));
    Path file = Files.writeString(files.resolve("hello.txt"), "hello, upload-stream");
    DevStack.Options options =
        new DevStack.Options(dir.resolve("data"), 0, 0, 0, 0, List.of(files), 2, Map.of());
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
          .contains(stack.cdnBaseUrl() + "/" + DevStack.BUCKET + "/tmp/");
      Matcher url = URL.matcher(out.toString());
      assertThat(url.find()).isTrue();
      HttpResponse<String> served = anonymousGet(url.group());
      assertThat(served.statusCode()).isEqualTo(200);
      assertThat(served.body()).isEqualTo("hello, upload-stream");
      assertThat(served.headers().firstValue("Content-Type")).hasValue("text/plain");
      String sameObjectOnS3 = url.group().replace(stack.cdnBaseUrl(), stack.s3Endpoint());
      assertThat(anonymousGet(sameObjectOnS3).statusCode())
          .as("the bucket itself stays private, as in production")
          .isEqualTo(403);
    }
  }

  /**
   * {@code dev --set} and {@code UPLOAD_STREAM_*} reach the processor it starts, as for {@code run}
   * (--set over the environment over the stack's own): here delete-after-upload, tried locally.
   */
  @Test
  void settingsAndEnvironment_reachDevsProcessor_soDeleteAfterUploadCanBeTried() throws Exception {
    Path files = Files.createDirectories(dir.resolve("files"));
    Path file = Files.writeString(files.resolve("scratch.txt"), "temporary");
    DevStack.Options options =
        new DevStack.Options(
            dir.resolve("data"),
            0,
            0,
            0,
            0,
            List.of(files),
            2,
            Map.of("processor.allow-delete", "true", "upload.cache-control", "no-store"),
            Map.of(
                "UPLOAD_STREAM_UPLOAD_CACHE_CONTROL", "max-age=1",
                "UPLOAD_STREAM_UPLOAD_CONTENT_DISPOSITION", "inline"));
    try (DevStack stack = DevStack.start(options)) {
      assertThat(stack.settings().processor().allowDelete()).isTrue();
      assertThat(stack.settings().objects().cacheControl()).as("--set wins").isEqualTo("no-store");
      assertThat(stack.settings().objects().contentDisposition()).isEqualTo("inline");
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
              "--delete-after-upload",
              "--wait",
              "--timeout",
              "60s",
              file.toString());

      assertThat(exit).as(out.toString()).isZero();
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(() -> !Files.exists(file));
    }
  }

  @Test
  void devDemo_uploadsTheFiles_printsKeyUrlAndTime_fetchesTheUrl_andExitsZero() throws Exception {
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
            "--cdn-port",
            "0",
            "--metrics-port",
            "0",
            "--demo",
            file.toString());

    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString())
        .contains("Kafka bootstrap")
        .containsPattern("key  demo/\\d{14}-demo\\.txt")
        .contains("url  http://127.0.0.1:")
        .containsPattern("size 13000 bytes in \\d")
        .doesNotContain("0.0 MB/s")
        .contains("fetched the url without credentials: HTTP 200, the same bytes as the file")
        .contains("stop with it");
  }

  private static HttpResponse<String> anonymousGet(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
