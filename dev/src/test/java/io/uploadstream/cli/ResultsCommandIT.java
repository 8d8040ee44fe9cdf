package io.uploadstream.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.client.ClientSettings;
import io.uploadstream.client.ResultsReader;
import io.uploadstream.client.TestResponder;
import io.uploadstream.client.TestTopics;
import io.uploadstream.client.TopicSettings;
import io.uploadstream.client.UploadRequests;
import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.EventCodec;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.dev.EmbeddedKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code upload-stream results} against a real broker. */
class ResultsCommandIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dir;
  private static EmbeddedKafka kafka;

  private TopicSettings topics;
  private ClientSettings settings;

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
    settings = TestTopics.settings(kafka, topics);
  }

  @Test
  void resultsFromBeginning_printsExactlyTheResultsOnTheTopicAsJsonLines_andExits()
      throws Exception {
    List<UploadResult> onTopic = answer(5);

    CommandRun run = CommandRun.of(args("results", "--from-beginning"));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.outLines())
        .containsExactlyInAnyOrderElementsOf(onTopic.stream().map(ResultsCommandIT::json).toList());
  }

  @Test
  void resultsRequestId_printsARepeatedResultOnce() throws Exception {
    UploadResult first = answer(2).stream().filter(UploadResult::succeeded).findFirst().get();
    UploadResult repeat =
        new UploadResult(
            first.schemaVersion(),
            first.requestId(),
            first.filePath(),
            first.prefix(),
            first.status(),
            first.bucket(),
            first.key(),
            first.cdnUrl(),
            first.size(),
            first.partCount(),
            first.etag(),
            first.contentType(),
            first.checksum(),
            first.startedAt().plusSeconds(30),
            first.completedAt().plusSeconds(31),
            first.error());
    TestTopics.publishRaw(
        kafka, topics.results(), first.requestId().getBytes(UTF_8), EventCodec.encode(repeat));

    CommandRun run = CommandRun.of(args("results", "--request-id", first.requestId()));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.outLines()).containsExactly(json(first));
  }

  @Test
  void results_printFieldsAndCodesOfNewerProcessors_asWritten() throws Exception {
    String written =
        "{\"schemaVersion\":1,\"requestId\":\"newer-1\",\"status\":\"FAILED\","
            + "\"error\":{\"code\":\"QUOTA_EXCEEDED\",\"message\":\"over quota\","
            + "\"retryable\":false},\"futureField\":{\"nested\":[1,2]}}";
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  topics.results(), "newer-1".getBytes(UTF_8), written.getBytes(UTF_8)))
          .get();
    }

    CommandRun run = CommandRun.of(args("results", "--from-beginning"));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.outLines()).containsExactly(written);
  }

  @Test
  void results_withoutFromBeginning_printsNothingThatWasAlreadyThere_andExits() throws Exception {
    answer(2);

    CommandRun run = CommandRun.of(args("results"));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).isEmpty();
  }

  @Test
  void resultsFollow_printsNewResultsAsTheyArrive_andEndsCleanlyWhenInterrupted() throws Exception {
    List<UploadResult> before = answer(1);
    StringWriter out = new StringWriter();
    CommandLine cli = UploadStreamCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    AtomicInteger exitCode = new AtomicInteger(-1);
    Thread follower =
        new Thread(
            () -> exitCode.set(cli.execute(args("results", "--follow", "--from-beginning"))),
            "results-follow");
    follower.start();
    // Once the older result is printed the reader is live: the next one arrives while it runs.
    await().atMost(WAIT).until(() -> out.toString().contains(before.get(0).requestId()));

    List<UploadResult> after = answer(1);
    await().atMost(WAIT).until(() -> out.toString().contains(after.get(0).requestId()));
    follower.interrupt();
    follower.join(WAIT.toMillis());

    assertThat(follower.isAlive()).isFalse();
    assertThat(exitCode).hasValue(ExitCodes.OK);
    assertThat(out.toString().split("\\R"))
        .containsExactly(json(before.get(0)), json(after.get(0)));
  }

  @Test
  void resultsRequestId_printsOnlyThatResult_exitingZeroForSucceeded_oneForFailed()
      throws Exception {
    List<UploadResult> onTopic = answer(3); // file-1 FAILED, the others SUCCEEDED
    UploadResult succeeded = onTopic.stream().filter(UploadResult::succeeded).findFirst().get();
    UploadResult failed = onTopic.stream().filter(r -> !r.succeeded()).findFirst().get();

    CommandRun good = CommandRun.of(args("results", "--request-id", succeeded.requestId()));
    CommandRun bad = CommandRun.of(args("results", "--request-id", failed.requestId()));
    CommandRun unknown = CommandRun.of(args("results", "--request-id", "no-such-request"));

    assertThat(good.exitCode()).as(good.err()).isEqualTo(ExitCodes.OK);
    assertThat(good.outLines()).containsExactly(json(succeeded));
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(bad.outLines()).containsExactly(json(failed));
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(unknown.out()).isEmpty();
    assertThat(unknown.err().lines())
        .as("an exit status of 1 says why, in one line")
        .containsExactly(
            "upload-stream: no result for request no-such-request on " + topics.results());
  }

  @Test
  void resultsStatusFailed_asText_printsOneLinePerFailure() throws Exception {
    List<UploadResult> onTopic = answer(3);
    UploadResult failed = onTopic.stream().filter(r -> !r.succeeded()).findFirst().get();

    CommandRun run =
        CommandRun.of(
            args("results", "--from-beginning", "--status", "failed", "--output", "text"));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.outLines())
        .containsExactly(failed.requestId() + " FAILED FILE_CHANGED: " + failed.error().message());
  }

  @Test
  void resultsRequestIdFollow_waitsForThatResult_andExitsOnceItArrives() throws Exception {
    UploadRequest request = UploadRequests.forFile(Path.of("/in/later.txt"), "tmp");
    StringWriter out = new StringWriter();
    CommandLine cli = UploadStreamCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    AtomicInteger exitCode = new AtomicInteger(-1);
    Thread follower =
        new Thread(
            () ->
                exitCode.set(
                    cli.execute(args("results", "--request-id", request.requestId(), "--follow"))),
            "results-follow-one");
    follower.start();
    await().during(Duration.ofSeconds(2)).atMost(WAIT).until(follower::isAlive);

    try (TestResponder responder =
            TestResponder.start(kafka.bootstrapServers(), topics, TestResponder::succeed);
        UploadRequests requests = UploadRequests.connect(settings)) {
      requests.publish(request).get();
      follower.join(WAIT.toMillis());
      assertThat(responder.requests()).containsExactly(request);
    }

    assertThat(follower.isAlive()).isFalse();
    assertThat(exitCode).hasValue(ExitCodes.OK);
    assertThat(out.toString()).contains("\"requestId\":\"" + request.requestId() + "\"");
  }

  @Test
  void results_withABrokerThatIsNotThere_saysSoOnce() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    CommandRun run =
        CommandRun.of("results", "--from-beginning", "--bootstrap-servers", "127.0.0.1:" + port);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err().lines())
        .containsExactly(
            "upload-stream: cannot reach Kafka at 127.0.0.1:"
                + port
                + " within 5s (kafka.bootstrap.servers, client.connect-timeout)");
  }

  /** Publishes {@code count} requests and waits until the responder has answered them all. */
  private List<UploadResult> answer(int count) throws Exception {
    try (TestResponder responder =
            TestResponder.start(
                kafka.bootstrapServers(),
                topics,
                r ->
                    r.filePath().endsWith("-1.txt")
                        ? TestResponder.fail(r, ErrorCode.FILE_CHANGED)
                        : TestResponder.succeed(r));
        ResultsReader results = ResultsReader.fromEnd(settings);
        UploadRequests requests = UploadRequests.connect(settings)) {
      List<UploadRequest> sent = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        UploadRequest request = UploadRequests.forFile(Path.of("/in/file-" + i + ".txt"), "tmp");
        requests.publish(request).get();
        sent.add(request);
      }
      Set<String> ids = sent.stream().map(UploadRequest::requestId).collect(Collectors.toSet());
      Map<String, UploadResult> arrived = results.await(ids, WAIT, r -> {});
      assertThat(arrived).hasSize(count);
      assertThat(responder.requests()).containsExactlyInAnyOrderElementsOf(sent);
      return List.copyOf(arrived.values());
    }
  }

  private static String json(UploadResult result) {
    return new String(EventCodec.encode(result), UTF_8);
  }

  private String[] args(String... command) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(
        List.of(
            "--bootstrap-servers", kafka.bootstrapServers(),
            "--set", "topics.requests=" + topics.requests(),
            "--set", "topics.results=" + topics.results()));
    return all.toArray(String[]::new);
  }
}
