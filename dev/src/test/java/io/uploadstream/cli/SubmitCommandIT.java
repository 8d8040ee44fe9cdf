package io.uploadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uploadstream.client.TestResponder;
import io.uploadstream.client.TestTopics;
import io.uploadstream.client.TopicSettings;
import io.uploadstream.contract.DecodeResult.Decoded;
import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.RequestDecoder;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.dev.EmbeddedKafka;
import io.uploadstream.testing.CapturedLogs;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code upload-stream submit} against a real broker, with a test responder as the processor. */
class SubmitCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static EmbeddedKafka kafka;

  @TempDir Path files;
  private TopicSettings topics;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.create(dir.resolve("kafka"), 0).start(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  @BeforeEach
  void createTopics() {
    topics = TestTopics.create(kafka);
  }

  @Test
  void submit_withoutWait_printsOneRequestIdPerFile_andExitsZero() throws Exception {
    Path a = file("a.txt");
    Path b = file("b.txt");

    CommandRun run = submit(a.toString(), b.toString(), "--prefix", "tmp");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    List<UploadRequest> published = publishedRequests();
    assertThat(run.outLines())
        .containsExactlyInAnyOrder(
            published.get(0).requestId() + " " + published.get(0).filePath(),
            published.get(1).requestId() + " " + published.get(1).filePath());
    assertThat(published)
        .extracting(UploadRequest::filePath)
        .containsExactlyInAnyOrder(a.toAbsolutePath().toString(), b.toAbsolutePath().toString());
  }

  @Test
  void submit_objectOptionsAndDelete_arePublishedWithTheRequest() throws Exception {
    Path a = file("résumé 2025.pdf");

    CommandRun run =
        submit(
            a.toString(),
            "--prefix",
            "cv",
            "--cache-control",
            "private, max-age=600",
            "--attachment",
            "--storage-class",
            "STANDARD_IA",
            "--tag",
            "team=hr",
            "--tag",
            "retention=1y",
            "--delete-after-upload");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    UploadRequest request = publishedRequests().get(0);
    assertThat(request.cacheControl()).isEqualTo("private, max-age=600");
    assertThat(request.contentDisposition())
        .isEqualTo(
            "attachment; filename=\"r_sum_ 2025.pdf\";"
                + " filename*=UTF-8''r%C3%A9sum%C3%A9%202025.pdf");
    assertThat(request.storageClass()).isEqualTo("STANDARD_IA");
    assertThat(request.tags())
        .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("team", "hr", "retention", "1y"));
    assertThat(request.afterUpload()).isEqualTo(io.uploadstream.contract.AfterUpload.DELETE);
  }

  @Test
  void submitWait_printsKeyAndUrlOfTheSucceededResult_andExitsZero() throws Exception {
    Path a = file("11.png");
    try (TestResponder responder =
        TestResponder.start(kafka.bootstrapServers(), topics, TestResponder::succeed)) {

      CommandRun run =
          submit(
              a.toString(),
              "--prefix",
              "tmp",
              "--metadata",
              "by=alice",
              "--wait",
              "--timeout",
              "30s");

      assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
      UploadRequest request = responder.requests().get(0);
      String key = TestResponder.key(request);
      assertThat(key).matches("tmp/\\d{14}-11\\.png");
      assertThat(run.outLines())
          .containsExactly(
              a + ": SUCCEEDED " + key + " https://cdn.test/uploads/" + key + " (42 bytes)");
      assertThat(request.metadata()).containsEntry("by", "alice");
    }
  }

  @Test
  void submitWait_exitsOne_whenOneOfTwoFilesFails() throws Exception {
    Path good = file("good.txt");
    Path bad = file("bad.txt");
    try (TestResponder responder =
        TestResponder.start(
            kafka.bootstrapServers(),
            topics,
            request ->
                request.filePath().endsWith("bad.txt")
                    ? TestResponder.fail(request, ErrorCode.FILE_NOT_FOUND)
                    : TestResponder.succeed(request))) {

      CommandRun run =
          submit(good.toString(), bad.toString(), "--prefix", "tmp", "--wait", "--timeout", "30s");

      assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
      assertThat(responder.requests()).hasSize(2);
      assertThat(run.outLines())
          .hasSize(2)
          .anySatisfy(line -> assertThat(line).startsWith(good + ": SUCCEEDED tmp/"))
          .contains(bad + ": FAILED FILE_NOT_FOUND: no file at " + bad.toAbsolutePath());
    }
  }

  @Test
  void submitWait_exitsOneNamingTheMissingRequest_whenNoResultArrivesInTime() throws Exception {
    Path a = file("a.txt");
    try (TestResponder responder =
        TestResponder.start(kafka.bootstrapServers(), topics, request -> Optional.empty())) {

      CommandRun run = submit(a.toString(), "--prefix", "tmp", "--wait", "--timeout", "2s");

      assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
      String requestId = responder.requests().get(0).requestId();
      assertThat(run.outLines())
          .containsExactly(a + ": MISSING no result for request " + requestId + " within 2s");
    }
  }

  @Test
  void submit_missingLocalFile_saysSoInOneLine_exitsTwo_andPublishesNothing() throws Exception {
    Path present = file("present.txt");
    Path missing = files.resolve("missing.txt");

    CommandRun run = submit(present.toString(), missing.toString(), "--prefix", "tmp");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err().lines()).containsExactly("upload-stream: no such file: " + missing);
    assertThat(TestTopics.readAll(kafka, topics.requests())).isEmpty();
  }

  @Test
  void submit_toABrokerThatIsNotThere_failsInSecondsInOneLine_withoutKafkaWarnings()
      throws Exception {
    Path a = file("a.txt");
    String nobody = "127.0.0.1:" + unusedPort();
    try (CapturedLogs kafkaLogs = CapturedLogs.of("org.apache.kafka")) {
      long start = System.nanoTime();

      CommandRun run =
          CommandRun.of("submit", a.toString(), "--prefix", "tmp", "--bootstrap-servers", nobody);

      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
      assertThat(run.err().lines())
          .containsExactly(
              "upload-stream: cannot reach Kafka at "
                  + nobody
                  + " within 5s (kafka.bootstrap.servers, client.connect-timeout)");
      assertThat(took).isLessThan(Duration.ofSeconds(15));
      assertThat(kafkaLogs.warningsAndErrors()).isEmpty();
    }
  }

  @Test
  void submit_outputJson_printsOneObjectPerRequest() throws Exception {
    Path a = file("a b.txt"); // a space: the reason for JSON

    CommandRun run = submit(a.toString(), "--prefix", "tmp", "--output", "json");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    UploadRequest published = publishedRequests().get(0);
    assertThat(run.outLines()).hasSize(1);
    JsonNode line = JSON.readTree(run.outLines().get(0));
    assertThat(line.get("requestId").asText()).isEqualTo(published.requestId());
    assertThat(line.get("file").asText()).isEqualTo(a.toString());
    assertThat(line.get("filePath").asText()).isEqualTo(a.toAbsolutePath().toString());
  }

  @Test
  void submitWait_outputJson_printsEachResultWithItsFile() throws Exception {
    Path a = file("11.png");
    try (TestResponder responder =
        TestResponder.start(kafka.bootstrapServers(), topics, TestResponder::succeed)) {

      CommandRun run =
          submit(a.toString(), "--prefix", "tmp", "--wait", "--timeout", "30s", "--output", "JSON");

      assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
      assertThat(run.outLines()).hasSize(1);
      JsonNode line = JSON.readTree(run.outLines().get(0));
      assertThat(line.get("file").asText()).isEqualTo(a.toString());
      assertThat(line.get("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(line.get("requestId").asText()).isEqualTo(responder.requests().get(0).requestId());
      assertThat(line.get("key").asText()).matches("tmp/\\d{14}-11\\.png");
    }
  }

  @Test
  void submit_withRemoteDir_asksForTheFileUnderThatDirectory_evenIfItIsNotHere() throws Exception {
    CommandRun run = submit("/not/here/11.png", "--prefix", "tmp", "--remote-dir", "/data/files/");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(publishedRequests())
        .extracting(UploadRequest::filePath)
        .containsExactly("/data/files/11.png");
  }

  private static int unusedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort(); // closed again: nothing listens there
    }
  }

  private CommandRun submit(String... args) {
    List<String> all = new ArrayList<>(List.of("submit"));
    all.addAll(List.of(args));
    all.addAll(
        List.of(
            "--bootstrap-servers", kafka.bootstrapServers(),
            "--set", "topics.requests=" + topics.requests(),
            "--set", "topics.results=" + topics.results()));
    return CommandRun.of(all.toArray(String[]::new));
  }

  private Path file(String name) throws Exception {
    return Files.writeString(files.resolve(name), "content of " + name);
  }

  private List<UploadRequest> publishedRequests() {
    return TestTopics.readAll(kafka, topics.requests()).stream()
        .map(record -> decode(record.value()))
        .toList();
  }

  private static UploadRequest decode(byte[] value) {
    return ((Decoded) new RequestDecoder().decode(value)).request();
  }
}
